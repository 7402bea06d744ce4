// deploy/broker/broker.xml is the one broker configuration. Here:
//   * the ArtemisCloud component's ActiveMQArtemis carries exactly its addresses and queues, its address settings for
//     "#", every permission of every security setting (match, role) and its broker name, as brokerProperties; and it
//     is a live-backup pair;
//   * the dev broker applies broker.xml on every start, also to an instance that already exists on its volume (an
//     init step copies it over etc/broker.xml), and restarts when broker.xml changes (hash-named ConfigMap).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { id } from "./render.mjs";

const text = (xml, tag) => new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(xml)?.[1];

/** The parts of broker.xml the cluster configuration must match. */
export function parseBrokerXml(xml) {
  const body = xml.replace(/<!--[\s\S]*?-->/g, "");
  const addresses = [];
  const addressesXml = /<addresses>([\s\S]*?)<\/addresses>/.exec(body)?.[1] || "";
  for (const m of addressesXml.matchAll(/<address name="([^"]+)">\s*<(multicast|anycast)>([\s\S]*?)<\/\2>\s*<\/address>/g)) {
    addresses.push({ name: m[1], routing: m[2].toUpperCase(), queues: [...m[3].matchAll(/<queue name="([^"]+)"/g)].map((q) => q[1]) });
  }
  const settings = {};
  const hash = /<address-setting match="#">([\s\S]*?)<\/address-setting>/.exec(body)?.[1] || "";
  for (const m of hash.matchAll(/<([a-z-]+)>\s*([^<]*?)\s*<\/\1>/g)) settings[m[1]] = m[2];
  // every security setting: match -> role -> permissions
  const permissions = {};
  for (const setting of body.matchAll(/<security-setting match="([^"]+)">([\s\S]*?)<\/security-setting>/g)) {
    const byRole = (permissions[setting[1]] ||= {});
    for (const m of setting[2].matchAll(/<permission type="([^"]+)" roles="([^"]+)"\/>/g)) for (const r of m[2].split(",").map((s) => s.trim())) (byRole[r] ||= []).push(m[1]);
  }
  return { name: text(body, "name"), addresses, settings, permissions, globalMaxSize: text(body, "global-max-size"), maxDiskUsage: text(body, "max-disk-usage") };
}

const BYTES = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
export function bytes(v) {
  const m = /^(-?\d+)\s*([a-zA-Z]*)$/.exec(String(v).trim());
  return m ? Number(m[1]) * (BYTES[m[2].toLowerCase()] ?? NaN) : NaN;
}

/** broker.xml address-setting element -> broker property of AddressSettings, and how to compare values. */
const SETTING_PROPERTIES = {
  "dead-letter-address": ["deadLetterAddress", String],
  "expiry-address": ["expiryAddress", String],
  "max-delivery-attempts": ["maxDeliveryAttempts", Number],
  "redelivery-delay": ["redeliveryDelay", Number],
  "redelivery-delay-multiplier": ["redeliveryMultiplier", Number],
  "max-redelivery-delay": ["maxRedeliveryDelay", Number],
  "address-full-policy": ["addressFullMessagePolicy", String],
  "page-size-bytes": ["pageSizeBytes", bytes],
  "max-size-bytes": ["maxSizeBytes", bytes],
  "auto-create-queues": ["autoCreateQueues", String],
  "auto-create-addresses": ["autoCreateAddresses", String],
  "auto-delete-queues": ["autoDeleteQueues", String],
  "auto-delete-addresses": ["autoDeleteAddresses", String],
};

/** brokerProperties (comments skipped) as a Map; keys with their quotes removed, broker-N. prefixes kept. */
export function brokerProperties(list) {
  const props = new Map();
  for (const line of list || []) {
    if (line.trim().startsWith("#")) continue;
    const i = line.indexOf("=");
    props.set(line.slice(0, i).trim().replace(/"/g, ""), line.slice(i + 1).trim());
  }
  return props;
}

export function checkBrokerResource(root, objects) {
  const problems = [];
  const xml = parseBrokerXml(readFileSync(join(root, "deploy/broker/broker.xml"), "utf8"));
  for (const o of objects.filter((x) => x.kind === "ActiveMQArtemis")) {
    const where = id(o);
    const props = brokerProperties(o.spec?.brokerProperties);
    const want = new Map();
    want.set("name", xml.name);
    for (const a of xml.addresses) {
      want.set(`addressConfigurations.${a.name}.routingTypes`, a.routing);
      for (const q of a.queues) {
        want.set(`addressConfigurations.${a.name}.queueConfigs.${q}.address`, a.name);
        want.set(`addressConfigurations.${a.name}.queueConfigs.${q}.routingType`, a.routing);
      }
    }
    for (const [match, byRole] of Object.entries(xml.permissions))
      for (const [role, perms] of Object.entries(byRole)) for (const p of perms) want.set(`securityRoles.${match}.${role}.${p}`, "true");
    for (const [k, v] of want)
      if (props.get(k) !== v) problems.push(`${where}: brokerProperties must hold ${k}=${v} (deploy/broker/broker.xml), found ${props.has(k) ? props.get(k) : "nothing"}`);
    for (const [el, value] of Object.entries(xml.settings)) {
      const [prop, as] = SETTING_PROPERTIES[el] || [];
      if (!prop) {
        problems.push(`${where}: broker.xml's address-setting "#" has <${el}>, which this check does not map to a broker property (add it to lib/broker.mjs)`);
        continue;
      }
      const got = props.get(`addressSettings.#.${prop}`);
      if (got === undefined || as(got) !== as(value)) problems.push(`${where}: brokerProperties must hold addressSettings.#.${prop}=${value} (broker.xml <${el}>), found ${got ?? "nothing"}`);
    }
    if (bytes(props.get("globalMaxSize")) !== bytes(xml.globalMaxSize)) problems.push(`${where}: brokerProperties globalMaxSize must be broker.xml's ${xml.globalMaxSize}`);
    if (props.get("maxDiskUsage") !== xml.maxDiskUsage) problems.push(`${where}: brokerProperties maxDiskUsage must be broker.xml's ${xml.maxDiskUsage}`);
    // nothing beyond broker.xml: an address or queue only the cluster has would drift from local runs
    for (const k of props.keys())
      if ((k.startsWith("addressConfigurations.") || k.startsWith("securityRoles.")) && !want.has(k)) problems.push(`${where}: brokerProperties has ${k}, which deploy/broker/broker.xml does not`);
    // a live-backup pair
    const dp = o.spec?.deploymentPlan || {};
    if (dp.size !== 2) problems.push(`${where}: deploymentPlan.size must be 2 (a live-backup pair), found ${dp.size}`);
    if (!/^REPLICATION_PRIMARY_|^SHARED_STORE_PRIMARY$/.test(props.get("broker-0.HAPolicyConfiguration") || ""))
      problems.push(`${where}: broker-0.HAPolicyConfiguration must make pod 0 the live broker (REPLICATION_PRIMARY_... or SHARED_STORE_PRIMARY)`);
    if (!/^REPLICATION_BACKUP_|^SHARED_STORE_BACKUP$/.test(props.get("broker-1.HAPolicyConfiguration") || ""))
      problems.push(`${where}: broker-1.HAPolicyConfiguration must make pod 1 its backup (REPLICATION_BACKUP_... or SHARED_STORE_BACKUP)`);
    if (dp.persistenceEnabled !== true) problems.push(`${where}: deploymentPlan.persistenceEnabled must be true (durable queues)`);
    if (dp.requireLogin !== true) problems.push(`${where}: deploymentPlan.requireLogin must be true`);
    if (!(o.spec?.acceptors || []).some((a) => a.sslEnabled === true && /AMQP/.test(a.protocols || ""))) problems.push(`${where}: needs an AMQP acceptor with sslEnabled (the services use amqps in prod)`);
  }
  return problems;
}

/** The dev StatefulSet artemis applies broker.xml on every start. */
export function checkDevBroker(root, objects) {
  const sts = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "artemis");
  if (!sts) return [];
  const problems = [];
  const where = id(sts);
  const spec = sts.spec.template.spec;
  const vol = (spec.volumes || []).find((v) => v.configMap?.items?.some((i) => i.key === "broker.xml"));
  const cm = vol && objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === vol.configMap.name);
  if (!cm) return [`${where}: no volume from the ConfigMap of deploy/broker/broker.xml`];
  if (cm.data?.["broker.xml"] !== readFileSync(join(root, "deploy/broker/broker.xml"), "utf8")) problems.push(`${id(cm)}: broker.xml differs from deploy/broker/broker.xml`);
  if (!/^artemis-broker-[a-z0-9]{10}$/.test(cm.metadata.name))
    problems.push(`${id(cm)}: its name must carry the content hash (configMapGenerator), so that editing broker.xml changes the pod template and restarts the broker`);
  const mountOf = (c, name) => (c.volumeMounts || []).find((m) => m.name === name)?.mountPath;
  const main = spec.containers[0];
  const copier = (spec.initContainers || []).find((c) => {
    const cmd = (c.command || []).join(" ");
    const from = mountOf(c, vol.name);
    const data = mountOf(c, "data");
    return from && data && cmd.includes(`cp ${from}/broker.xml ${data}/etc/broker.xml`);
  });
  if (!copier) problems.push(`${where}: no init container copies broker.xml over the instance's etc/broker.xml on every start (the image copies etc-override only when it creates the instance)`);
  else if (mountOf(copier, "data") !== mountOf(main, "data")) problems.push(`${where}: init container ${copier.name} mounts the data volume elsewhere than the broker (${mountOf(main, "data")})`);
  return problems;
}
