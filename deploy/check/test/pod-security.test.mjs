// The whole restricted Pod Security Standard: every rule of PSS_RULES fails, with its message, on a copy of the prod
// overlay broken in exactly that way; and a rule without a breaking test here fails this file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rendered, find, container, expectProblem, secretsFor } from "../lib/testing.mjs";
import { checkPolicy, PSS_RULES } from "../lib/policy.mjs";

const pod = (o, name = "lead-service") => find(o, "Deployment", name).spec.template.spec;
const initOf = (o, name = "lead-service") => pod(o, name).initContainers.find((c) => c.name === "wait-for-schema");

/** rule id -> [[what, break the objects, expected message], ...] */
const breakages = {
  "host-process": [
    ["a HostProcess pod", (o) => (pod(o).securityContext.windowsOptions = { hostProcess: true }), /Deployment leadsuite\/lead-service: securityContext\.windowsOptions\.hostProcess is not allowed \[pod security: host-process\]/],
    ["a HostProcess container", (o) => (container(o, "gateway").securityContext.windowsOptions = { hostProcess: true }), /container gateway: securityContext\.windowsOptions\.hostProcess is not allowed/],
  ],
  "host-namespaces": [
    ["the host network", (o) => (pod(o).hostNetwork = true), /Deployment leadsuite\/lead-service: hostNetwork is not allowed \[pod security: host-namespaces\]/],
    ["the host PID namespace", (o) => (pod(o, "gateway").hostPID = true), /Deployment leadsuite\/gateway: hostPID is not allowed/],
    ["the host IPC namespace", (o) => (pod(o, "scoring-service").hostIPC = true), /Deployment leadsuite\/scoring-service: hostIPC is not allowed/],
  ],
  privileged: [["a privileged container", (o) => (container(o, "contact-service").securityContext.privileged = true), /container contact-service: securityContext\.privileged is not allowed \[pod security: privileged\]/]],
  capabilities: [
    ["capabilities not dropped", (o) => (container(o, "lead-service").securityContext.capabilities.drop = []), /container lead-service: securityContext\.capabilities\.drop must include ALL \[pod security: capabilities\]/],
    ["a capability added", (o) => (initOf(o).securityContext.capabilities.add = ["NET_RAW"]), /init container wait-for-schema: securityContext\.capabilities\.add may only hold NET_BIND_SERVICE/],
  ],
  "host-path-volumes": [
    ["a hostPath volume", (o) => pod(o).volumes.push({ name: "host", hostPath: { path: "/var/run" } }), /volume host: hostPath is not allowed \[pod security: host-path-volumes\]/],
  ],
  "host-ports": [["a hostPort", (o) => (container(o, "gateway").ports[0].hostPort = 8080), /container gateway: port http: hostPort is not allowed \[pod security: host-ports\]/]],
  apparmor: [
    ["AppArmor unconfined (field)", (o) => (container(o, "lead-service").securityContext.appArmorProfile = { type: "Unconfined" }), /container lead-service: securityContext: appArmorProfile\.type Unconfined is not allowed \[pod security: apparmor\]/],
    ["AppArmor unconfined (pod field)", (o) => (pod(o).securityContext.appArmorProfile = { type: "Unconfined" }), /Deployment leadsuite\/lead-service: securityContext: appArmorProfile\.type Unconfined/],
    [
      "AppArmor unconfined (annotation)",
      (o) => (find(o, "Deployment", "gateway").spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/gateway"] = "unconfined"),
      /Deployment leadsuite\/gateway: annotation container\.apparmor\.security\.beta\.kubernetes\.io\/gateway: unconfined is not allowed \[pod security: apparmor\]/,
    ],
  ],
  selinux: [
    ["an SELinux type outside the allowed ones", (o) => (container(o, "scoring-service").securityContext.seLinuxOptions = { type: "spc_t" }), /container scoring-service: securityContext: seLinuxOptions\.type spc_t is not allowed \[pod security: selinux\]/],
    ["an SELinux user", (o) => (pod(o).securityContext.seLinuxOptions = { user: "system_u" }), /Deployment leadsuite\/lead-service: securityContext: seLinuxOptions\.user may not be set/],
    ["an SELinux role", (o) => (initOf(o).securityContext.seLinuxOptions = { role: "sysadm_r" }), /init container wait-for-schema: securityContext: seLinuxOptions\.role may not be set/],
  ],
  "proc-mount": [["an unmasked /proc", (o) => (container(o, "contact-service").securityContext.procMount = "Unmasked"), /container contact-service: securityContext\.procMount Unmasked is not allowed \[pod security: proc-mount\]/]],
  seccomp: [
    [
      "no seccomp profile",
      (o) => {
        delete pod(o, "gateway").securityContext.seccompProfile;
        delete container(o, "gateway").securityContext.seccompProfile;
      },
      /container gateway: seccompProfile\.type must be RuntimeDefault \(container or pod securityContext\) \[pod security: seccomp\]/,
    ],
    ["a container unconfined under a RuntimeDefault pod", (o) => (container(o, "lead-service").securityContext.seccompProfile = { type: "Unconfined" }), /container lead-service: seccompProfile\.type must be RuntimeDefault/],
    ["an unconfined pod", (o) => (pod(o).securityContext.seccompProfile = { type: "Unconfined" }), /Deployment leadsuite\/lead-service: securityContext\.seccompProfile\.type Unconfined is not allowed/],
  ],
  sysctls: [["an unsafe sysctl", (o) => (pod(o).securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }]), /sysctl kernel\.msgmax is not allowed \(not one of the safe sysctls\) \[pod security: sysctls\]/]],
  "volume-types": [
    ["an NFS volume", (o) => pod(o).volumes.push({ name: "share", nfs: { server: "nfs.example.com", path: "/x" } }), /volume share: type nfs is not allowed \(restricted allows configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret\) \[pod security: volume-types\]/],
  ],
  "privilege-escalation": [["privilege escalation allowed", (o) => (container(o, "lead-service").securityContext.allowPrivilegeEscalation = true), /container lead-service: securityContext\.allowPrivilegeEscalation must be false \[pod security: privilege-escalation\]/]],
  "run-as-non-root": [
    [
      "root allowed",
      (o) => {
        delete pod(o, "contact-service").securityContext.runAsNonRoot;
        delete container(o, "contact-service").securityContext.runAsNonRoot;
      },
      /container contact-service: runAsNonRoot must be true \(container or pod securityContext\) \[pod security: run-as-non-root\]/,
    ],
  ],
  "run-as-non-root-user": [
    ["a container running as uid 0", (o) => (container(o, "gateway").securityContext.runAsUser = 0), /container gateway: runAsUser must not be 0 \[pod security: run-as-non-root-user\]/],
    ["a pod running as uid 0", (o) => (pod(o).securityContext.runAsUser = 0), /Deployment leadsuite\/lead-service: securityContext\.runAsUser must not be 0/],
  ],
};

test("every rule of the restricted Pod Security Standard has a test that breaks it", () => {
  assert.deepEqual(Object.keys(breakages).sort(), Object.keys(PSS_RULES).sort());
});

for (const [rule, cases] of Object.entries(breakages)) {
  for (const [what, breakIt, message] of cases) {
    test(`pod security (${rule}): fails on ${what}`, () => {
      const objects = rendered("prod");
      assert.deepEqual(checkPolicy(objects, secretsFor("prod")), [], "the unbroken copy passes");
      breakIt(objects);
      expectProblem(checkPolicy(objects, secretsFor("prod")), message);
    });
  }
}

test("pod security: an ephemeral container is held to the profile too", () => {
  const objects = rendered("prod");
  pod(objects).ephemeralContainers = [{ name: "debug", image: "docker.io/library/busybox:1.36", securityContext: { privileged: true } }];
  const problems = checkPolicy(objects, secretsFor("prod"));
  expectProblem(problems, /ephemeral container debug: securityContext\.privileged is not allowed/);
  expectProblem(problems, /ephemeral container debug: securityContext\.allowPrivilegeEscalation must be false/);
});

test("pod security: the ArtemisCloud broker's pod settings are held to the profile (the operator builds the pods from them)", () => {
  const objects = rendered("fixtures/prod-with-artemiscloud");
  assert.deepEqual(checkPolicy(objects, secretsFor("fixtures/prod-with-artemiscloud")), []);
  const dp = find(objects, "ActiveMQArtemis", "leadsuite-broker").spec.deploymentPlan;
  dp.containerSecurityContext.allowPrivilegeEscalation = true;
  delete dp.podSecurityContext.runAsNonRoot;
  delete dp.containerSecurityContext.runAsNonRoot;
  const problems = checkPolicy(objects, secretsFor("fixtures/prod-with-artemiscloud"));
  expectProblem(problems, /ActiveMQArtemis leadsuite\/leadsuite-broker: container broker: securityContext\.allowPrivilegeEscalation must be false/);
  expectProblem(problems, /ActiveMQArtemis leadsuite\/leadsuite-broker: container broker: runAsNonRoot must be true/);
});

test("dev StatefulSets are checked too: PostgreSQL with a hostPort and Artemis' init step as root fail", () => {
  const objects = rendered("dev");
  find(objects, "StatefulSet", "postgres").spec.template.spec.containers[0].ports[0].hostPort = 5432;
  find(objects, "StatefulSet", "artemis").spec.template.spec.initContainers[0].securityContext.runAsUser = 0;
  const problems = checkPolicy(objects, secretsFor("dev"));
  expectProblem(problems, /StatefulSet leadsuite-dev\/postgres: container postgres: port postgres: hostPort is not allowed/);
  expectProblem(problems, /StatefulSet leadsuite-dev\/artemis: init container broker-xml: runAsUser must not be 0/);
});
