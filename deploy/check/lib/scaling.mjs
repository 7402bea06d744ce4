// Scaling on queue depth (item 5, the KEDA component): the ScaledObject of each consuming service watches exactly the
// queues it consumes (its application.properties: mp.messaging.incoming.<channel>.address, "<address>::<queue>" for a
// service's durable queue on a multicast address, or an anycast address whose queue has its name), each trigger names
// a queue, address and routing type of deploy/broker/broker.xml under the broker's name, reads it from a management
// Service that exists, and authenticates with a TriggerAuthentication that exists.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SERVICES, readProperties } from "./config.mjs";
import { parseBrokerXml } from "./broker.mjs";
import { id } from "./render.mjs";

/** The broker queues a service consumes: [{address, queue}]. */
export function consumedQueues(root, service, xml) {
  const { props } = readProperties(join(root, service, "src/main/resources/application.properties"));
  const out = [];
  for (const [k, v] of props) {
    const m = /^mp\.messaging\.incoming\.([^.]+)\.connector$/.exec(k);
    if (!m || v.trim() !== "smallrye-amqp") continue;
    const address = (props.get(`mp.messaging.incoming.${m[1]}.address`) || m[1]).trim();
    if (address.includes("::")) {
      const [a, q] = address.split("::");
      out.push({ address: a, queue: q });
    } else if (xml.addresses.some((a) => a.name === address && a.routing === "ANYCAST" && a.queues.includes(address))) {
      out.push({ address, queue: address });
    } // otherwise a non-durable subscription of its own (capabilities=topic): no shared backlog to scale on
  }
  return out;
}

export function checkScaling(root, objects) {
  const scaled = objects.filter((o) => o.kind === "ScaledObject");
  if (scaled.length === 0) return [];
  const problems = [];
  const xml = parseBrokerXml(readFileSync(join(root, "deploy/broker/broker.xml"), "utf8"));
  const ns = (o) => o.metadata?.namespace || "";
  for (const service of SERVICES) {
    const queues = consumedQueues(root, service, xml);
    const so = scaled.find((o) => o.spec?.scaleTargetRef?.name === service);
    if (!so) {
      if (queues.length) problems.push(`${service} consumes ${queues.map((q) => q.queue).join(", ")} but no ScaledObject scales it on their depth`);
      continue;
    }
    const triggers = (so.spec.triggers || []).filter((t) => t.type === "artemis-queue");
    const watched = new Set(triggers.map((t) => `${t.metadata?.brokerAddress}::${t.metadata?.queueName}`));
    for (const q of queues) if (!watched.has(`${q.address}::${q.queue}`)) problems.push(`${id(so)}: ${service} consumes ${q.address}::${q.queue}, which no trigger watches`);
    for (const t of triggers) {
      const md = t.metadata || {};
      const tw = `${id(so)}: trigger on ${md.queueName}`;
      if (!queues.some((q) => q.address === md.brokerAddress && q.queue === md.queueName)) problems.push(`${tw}: ${service} does not consume ${md.brokerAddress}::${md.queueName}`);
      const address = xml.addresses.find((a) => a.name === md.brokerAddress);
      if (!address || !address.queues.includes(md.queueName)) {
        problems.push(`${tw}: deploy/broker/broker.xml has no queue ${md.queueName} on address ${md.brokerAddress}`);
        continue;
      }
      if (md.brokerName !== xml.name) problems.push(`${tw}: brokerName ${md.brokerName} is not the broker's name ${xml.name} (broker.xml)`);
      const routing = /routing-type=\\?"([a-z]+)\\?"/.exec(md.restApiTemplate || "")?.[1] || "anycast"; // the scaler's default template says anycast
      if (routing.toUpperCase() !== address.routing)
        problems.push(`${tw}: reads routing-type ${routing}, but ${md.brokerAddress} is ${address.routing.toLowerCase()} in broker.xml (set restApiTemplate)`);
      const [host, port] = String(md.managementEndpoint || "").split(":");
      const [svcName, svcNs = ns(so)] = host.split(".");
      const svc = objects.find((x) => x.kind === "Service" && x.metadata.name === svcName && ns(x) === svcNs);
      if (!svc) problems.push(`${tw}: managementEndpoint ${md.managementEndpoint}: no Service ${svcName} in namespace ${svcNs}`);
      else if (!(svc.spec.ports || []).some((p) => String(p.port) === port)) problems.push(`${tw}: managementEndpoint ${md.managementEndpoint}: Service ${svcName} has no port ${port}`);
      const auth = t.authenticationRef?.name;
      if (!auth || !objects.some((x) => x.kind === "TriggerAuthentication" && x.metadata.name === auth && ns(x) === ns(so))) problems.push(`${tw}: authenticationRef ${auth} does not exist`);
    }
  }
  return problems;
}
