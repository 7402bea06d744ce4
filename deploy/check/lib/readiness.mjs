// Readiness means "can serve": no service's readiness may depend on the broker (item 3). Every messaging channel a
// service's application.properties binds to the broker (connector smallrye-amqp) must be out of readiness,
// quarkus.messaging.health.<channel>.readiness.enabled=false, in the file the cluster mounts for it through
// QUARKUS_CONFIG_LOCATIONS (deploy/base/quarkus/<service>.properties) or in application.properties itself.
import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { SERVICES, readProperties } from "./config.mjs";
import { envValue, mountedFile, parseProperties } from "./env.mjs";
import { id } from "./render.mjs";

/** The channels of a service that use the broker (profile-less lines of application.properties). */
export function brokerChannels(root, service) {
  const { props } = readProperties(join(root, service, "src/main/resources/application.properties"));
  const channels = [];
  for (const [k, v] of props) {
    const m = /^mp\.messaging\.(incoming|outgoing)\.([^.]+)\.connector$/.exec(k);
    if (m && v.trim() === "smallrye-amqp") channels.push(m[2]);
  }
  return channels.sort();
}

const readinessKey = (channel) => [`quarkus.messaging.health.${channel}.readiness.enabled`, `quarkus.messaging.health."${channel}".readiness.enabled`];

export function checkReadiness(root, objects) {
  const problems = [];
  for (const service of SERVICES) {
    const d = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === service);
    if (!d) continue;
    const c = d.spec.template.spec.containers.find((x) => x.name === service) || d.spec.template.spec.containers[0];
    const sources = []; // highest ordinal first
    const locations = envValue(objects, d, c, "QUARKUS_CONFIG_LOCATIONS");
    for (const loc of (locations || "").split(",").map((s) => s.trim()).filter(Boolean)) {
      const path = loc.replace(/^file:/, "");
      const text = mountedFile(objects, d, c, path);
      if (text === undefined) {
        problems.push(`${id(d)}: QUARKUS_CONFIG_LOCATIONS names ${loc}, which no ConfigMap volume of the container provides`);
        continue;
      }
      const props = parseProperties(text);
      const ordinal = Number(props.get("config_ordinal") ?? 250);
      if (!(ordinal > 250)) problems.push(`${id(d)}: ${path} needs config_ordinal above 250 to take precedence over the image's application.properties`);
      sources.push({ where: path, props });
    }
    const appProps = join(root, service, "src/main/resources/application.properties");
    if (existsSync(appProps)) sources.push({ where: "application.properties", props: parseProperties(readFileSync(appProps, "utf8")) });
    for (const channel of brokerChannels(root, service)) {
      let value;
      for (const s of sources) {
        const k = readinessKey(channel).find((key) => s.props.has(key));
        if (k) {
          value = s.props.get(k).trim();
          break;
        }
      }
      if (value !== "false")
        problems.push(
          `${id(d)}: the broker is part of readiness: channel ${channel} uses the broker but quarkus.messaging.health.${channel}.readiness.enabled is not false (deploy/base/quarkus/${service}.properties)`,
        );
    }
  }
  return problems;
}
