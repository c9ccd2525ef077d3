#!/usr/bin/env node
// Validates the rendered kustomizations of deploy/k8s and asserts PhoneKey's deployment rules. Run through
// deploy/k8s/check, which renders them and installs the npm packages this needs.
//
//   validate.mjs --assert [--self-test] name=render.yaml ...   (names: dev, prod, prod-cnpg, monitoring)
//   validate.mjs --self-test name=render.yaml ...              only the self-test
//   validate.mjs --reject FILE name=render.yaml ...            FILE's objects replace or join the prod render;
//                                                              exit 0 only if the checker then fails
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot, k8sDir, toolsDir, requirePackage, esm } from './lib/deps.mjs';
import { unknownFields } from './lib/strict.mjs';
import { channels as asyncapiChannels, render as renderTopics, topicsPath } from './topics.mjs';

const YAML = requirePackage('yaml');
const Ajv = requirePackage('ajv');

// ----------------------------------------------------------------------------------------------------------------
// What the contract and the code say
// ----------------------------------------------------------------------------------------------------------------

const SERVICES = ['otp-service', 'identity-service', 'telegram-gateway', 'sms-dispatcher'];

// Variables that hold secrets: only ever from a Secret (secretKeyRef), never a ConfigMap or a literal value.
const SECRET_VARS = new Set([
  'OTP_API_KEYS', 'OTP_ADMIN_API_KEYS', 'SMS_ADMIN_API_KEYS', 'OTP_EVENT_KEY', 'OTP_CODE_PEPPERS', 'DB_PASSWORD',
  'TWILIO_AUTH_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_GATEWAY_TOKEN',
  'QUARKUS_REDIS_PASSWORD',
]);

// Variables each service must be given in the cluster (no usable local default there).
const COMMON_REQUIRED = ['QUARKUS_PROFILE', 'QUARKUS_SHUTDOWN_TIMEOUT', 'KAFKA_BOOTSTRAP_SERVERS'];
const REQUIRED = {
  'otp-service': ['REDIS_URL', 'OTP_API_KEYS', 'OTP_ADMIN_API_KEYS', 'OTP_CODE_PEPPERS', 'OTP_EVENT_KEY',
    'PUBLIC_BASE_URL'],
  'identity-service': ['DB_URL', 'DB_USER', 'DB_PASSWORD', 'OTP_URL', 'OTP_API_KEYS', 'JWT_ISSUER', 'JWKS_URL',
    'TRUSTED_PROXIES'],
  'telegram-gateway': ['DB_URL', 'DB_USER', 'DB_PASSWORD', 'OTP_URL', 'OTP_API_KEYS', 'OTP_EVENT_KEY',
    'PUBLIC_BASE_URL', 'TELEGRAM_MODE', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_WEBHOOK_URL'],
  'sms-dispatcher': ['DB_URL', 'DB_USER', 'DB_PASSWORD', 'OTP_EVENT_KEY', 'SMS_PROVIDER', 'SMS_PUBLIC_URL',
    'TWILIO_AUTH_TOKEN', 'SMS_ADMIN_API_KEYS'],
};
// In the contract for a service but not (yet) read anywhere in its code: allowed, so the manifests follow the
// contract; the check says so in its summary.
const CONTRACT_ONLY = { 'otp-service': ['OTP_ADMIN_API_KEYS'] };
// Read by the container's launcher or by Quarkus itself, not by application.properties.
const PLATFORM_VARS = /^(QUARKUS_[A-Z0-9_]+|JAVA_MAX_MEM_RATIO|JAVA_INITIAL_MEM_RATIO|JAVA_OPTS_APPEND|GC_CONTAINER_OPTIONS|JAVA_DIAGNOSTICS)$/;

const SERVICE_DB = { 'identity-service': 'identity', 'telegram-gateway': 'telegram', 'sms-dispatcher': 'sms' };
const CNPG_APP_KEYS = new Set(['username', 'password', 'dbname', 'host', 'port', 'uri', 'jdbc-uri', 'pgpass']);
const SECRET_NAME = 'phonekey-secrets';

// The public surface (Ingress): exactly these, nothing of otp-service.
const PUBLIC_PATHS = [
  ['/api/auth', 'Prefix', 'identity-service'],
  ['/api/telegram/send-verification-code', 'Exact', 'identity-service'],
  ['/.well-known/jwks.json', 'Exact', 'identity-service'],
  ['/.well-known/openid-configuration', 'Exact', 'identity-service'],
  ['/telegram/webhook', 'Exact', 'telegram-gateway'],
  ['/telegram/gateway/report', 'Exact', 'telegram-gateway'],
  ['/telegram/app/verify', 'Exact', 'telegram-gateway'],
  ['/api/telegram/verify-phone-code', 'Exact', 'telegram-gateway'],
  ['/twilio', 'Prefix', 'sms-dispatcher'],
];

// Metric families the rules and the dashboard may use besides PhoneKey's own counters (which are read from the
// code), with where each comes from.
const EXTERNAL_METRICS = {
  up: 'Prometheus',
  kube_pod_status_ready: 'kube-state-metrics',
  kube_deployment_status_replicas_available: 'kube-state-metrics',
  kube_deployment_spec_replicas: 'kube-state-metrics',
  kube_pod_container_status_restarts_total: 'kube-state-metrics',
  kube_pod_container_resource_limits: 'kube-state-metrics',
  kube_horizontalpodautoscaler_status_current_replicas: 'kube-state-metrics',
  kube_horizontalpodautoscaler_spec_max_replicas: 'kube-state-metrics',
  container_memory_working_set_bytes: 'cAdvisor (kubelet)',
  http_server_requests_seconds_count: 'Quarkus Micrometer HTTP server binder',
  http_server_requests_seconds_sum: 'Quarkus Micrometer HTTP server binder',
  http_server_requests_seconds_max: 'Quarkus Micrometer HTTP server binder',
  kafka_consumergroup_lag: 'Strimzi Kafka Exporter',
  kafka_topic_partition_current_offset: 'Strimzi Kafka Exporter',
};

function read(path) {
  return readFileSync(path, 'utf8');
}

function walkFiles(dir, pred, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkFiles(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

function envName(property) {
  return property.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function kebab(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Property names of a @ConfigMapping interface (nested interfaces followed; Map<String, X> gives a wildcard). */
function mappingProperties(java, prefix, wildcards) {
  // comments out; string literals kept (a URL's // is not a comment) but without braces or semicolons, which
  // would otherwise count as blocks and statements ("{app}: ...")
  const src = java.replace(/"(?:[^"\\\n]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (t) => (t.startsWith('"') ? t.replace(/[{};]/g, '_') : ' '));
  const bodies = new Map();
  for (const m of src.matchAll(/\binterface\s+(\w+)[^{]*\{/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    while (depth > 0 && i < src.length) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}') depth--;
      i++;
    }
    // keep only depth-1 text: nested interface bodies are blanked
    let body = '';
    let d = 0;
    for (const ch of src.slice(start, i - 1)) {
      if (ch === '{') d++;
      if (d === 0) body += ch;
      if (ch === '}' && --d === 0) body += ';'; // a method body or nested type ends a statement
    }
    bodies.set(m[1], body);
  }
  const out = [];
  const visit = (iface, pre, seen) => {
    if (seen.has(iface)) return;
    const body = bodies.get(iface);
    if (body === undefined) return;
    for (const stmt of body.split(';')) {
      if (/\b(default|enum|interface|class|static)\b/.test(stmt.replace(/"[^"]*"/g, '""'))) continue;
      const m = /^\s*((?:@\w+(?:\([^)]*\))?\s*)*)([\w<>, ?]+?)\s+(\w+)\(\s*\)\s*$/.exec(stmt);
      if (!m) continue;
      const named = /@WithName\(\s*"([^"]+)"\s*\)/.exec(m[1]);
      const prop = `${pre}.${named ? named[1] : kebab(m[3])}`;
      const type = m[2].replace(/\s+/g, '').replace(/^Optional<(.*)>$/, '$1');
      const map = /^Map<String,(\w+)>$/.exec(type);
      if (bodies.has(type)) visit(type, prop, new Set([...seen, iface]));
      else if (map && bodies.has(map[1])) wildcards.push(new RegExp(`^${envName(prop)}_`));
      else out.push(prop);
    }
  };
  const top = /@ConfigMapping\([^)]*\)\s*public\s+interface\s+(\w+)/.exec(src);
  if (top) visit(top[1], prefix, new Set());
  return out;
}

function loadContext() {
  const svc = {};
  for (const s of SERVICES) {
    const propsPath = join(repoRoot, s, 'src/main/resources/application.properties');
    const text = read(propsPath);
    const port = /^quarkus\.http\.port=(\d+)\s*$/m.exec(text);
    // What the service reads: ${VAR} in application.properties, and the environment form of every property it
    // knows (SmallRye Config: otp.limit.phone-gap is OTP_LIMIT_PHONE_GAP): the keys of application.properties,
    // the @ConfigMapping interfaces and @ConfigProperty injections.
    const reads = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    const required = new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]));
    const wildcards = [];
    for (const m of text.matchAll(/^(?:%[\w-]+\.)?([a-z][\w.\-"]*)=/gm)) reads.add(envName(m[1].replace(/"/g, '')));
    for (const f of walkFiles(join(repoRoot, s, 'src/main/java'), (p) => p.endsWith('.java'))) {
      const java = read(f);
      for (const m of java.matchAll(/@ConfigProperty\(\s*name\s*=\s*"([^"]+)"/g)) reads.add(envName(m[1]));
      const mapping = /@ConfigMapping\(\s*prefix\s*=\s*"([^"]+)"\s*\)/.exec(java);
      if (mapping) for (const p of mappingProperties(java, mapping[1], wildcards)) reads.add(envName(p));
    }
    const contractOnly = (CONTRACT_ONLY[s] || []).filter((v) => !reads.has(v));
    for (const v of contractOnly) reads.add(v);
    svc[s] = { port: port ? Number(port[1]) : null, reads, wildcards, required, propsPath, contractOnly };
  }

  // Micrometer meters registered in the code, in their Prometheus names.
  const metrics = new Map();
  for (const s of SERVICES) {
    for (const f of walkFiles(join(repoRoot, s, 'src/main/java'), (p) => p.endsWith('.java'))) {
      const text = read(f);
      const add = (name, suffixes) => {
        const base = name.replace(/[.-]/g, '_');
        for (const suf of suffixes) metrics.set(base + suf, `${s} (${relative(repoRoot, f)})`);
      };
      for (const m of text.matchAll(/\b(?:counter|Counter\.builder)\(\s*"([a-zA-Z0-9_.-]+)"/g)) add(m[1], ['_total']);
      for (const m of text.matchAll(/\b(?:timer|Timer\.builder)\(\s*"([a-zA-Z0-9_.-]+)"/g)) add(m[1], ['_seconds_count', '_seconds_sum', '_seconds_max']);
      for (const m of text.matchAll(/\b(?:gauge|Gauge\.builder)\(\s*"([a-zA-Z0-9_.-]+)"/g)) add(m[1], ['']);
      for (const m of text.matchAll(/@Counted\(\s*(?:value\s*=\s*)?"([a-zA-Z0-9_.-]+)"/g)) add(m[1], ['_total']);
      for (const m of text.matchAll(/@Timed\(\s*(?:value\s*=\s*)?"([a-zA-Z0-9_.-]+)"/g)) add(m[1], ['_seconds_count', '_seconds_sum', '_seconds_max']);
    }
  }

  const secretKeys = new Set();
  for (const line of read(join(k8sDir, 'secrets.example.env')).split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) secretKeys.add(m[1]);
  }

  return { svc, metrics, secretKeys, channels: asyncapiChannels() };
}

// ----------------------------------------------------------------------------------------------------------------
// Schemas
// ----------------------------------------------------------------------------------------------------------------

const CORE = {
  v1: 'v1',
  'apps/v1': 'apps/v1',
  'policy/v1': 'policy/v1',
  'autoscaling/v2': 'autoscaling/v2',
  'networking.k8s.io/v1': 'networking.k8s.io/v1',
};
const PROM = { 'monitoring.coreos.com/v1': 'monitoring.coreos.com/v1' };

async function loadSchemas() {
  const modules = {};
  for (const [api, dir] of Object.entries(CORE)) modules[api] = { pkg: 'kubernetes-models', dir, mod: await esm('kubernetes-models', `${dir}/index.js`) };
  for (const [api, dir] of Object.entries(PROM)) {
    modules[api] = { pkg: '@kubernetes-models/prometheus-operator', dir, mod: await esm('@kubernetes-models/prometheus-operator', `${dir}/index.js`) };
  }
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const crd = {};
  for (const [api, file] of [['kafka.strimzi.io/v1beta2', 'strimzi.json'], ['postgresql.cnpg.io/v1', 'cnpg.json']]) {
    const all = JSON.parse(read(join(toolsDir, 'schemas', file)));
    crd[api] = {};
    for (const [kind, schema] of Object.entries(all)) if (!kind.startsWith('$')) crd[api][kind] = ajv.compile(schema);
  }
  return { modules, crd };
}

function schemaErrors(obj, schemas) {
  const id = `${obj.kind}/${obj.metadata && obj.metadata.name}`;
  const m = schemas.modules[obj.apiVersion];
  if (m) {
    const Cls = m.mod[obj.kind];
    if (!Cls) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
    const errors = [];
    try {
      new Cls(obj).validate();
    } catch (e) {
      errors.push(`${id}: ${String(e.message).split('\n').join('; ')}`);
    }
    for (const u of unknownFields(obj, m.pkg, m.dir)) errors.push(`${id}: ${u}`);
    return errors;
  }
  const c = schemas.crd[obj.apiVersion];
  if (c) {
    const v = c[obj.kind];
    if (!v) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
    if (v(obj)) return [];
    return v.errors.map((e) => `${id}: ${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
  }
  return [`${id}: no schema for apiVersion ${obj.apiVersion}`];
}

// ----------------------------------------------------------------------------------------------------------------
// Helpers
// ----------------------------------------------------------------------------------------------------------------

function labelsMatch(selector, labels = {}) {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function seconds(duration) {
  if (duration === undefined || duration === null) return NaN;
  const s = String(duration).trim();
  let m;
  if ((m = /^(\d+)(ms|s|m|h)?$/.exec(s))) return Number(m[1]) * ({ ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] || 's']);
  if ((m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(s))) return (Number(m[1] || 0) * 3600) + (Number(m[2] || 0) * 60) + Number(m[3] || 0);
  return NaN;
}

function quantity(q) {
  if (q === undefined) return NaN;
  const s = String(q);
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(s);
  if (!m) return NaN;
  const f = { m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 }[m[2]] || 1;
  return Number(m[1]) * f;
}

function ipToInt(ip) {
  return ip.split('.').reduce((a, o) => (a * 256) + Number(o), 0);
}
function inCidr(ip, cidr) {
  const [net, bits] = cidr.split('/');
  const n = Number(bits);
  const size = 2 ** (32 - n);
  const base = Math.floor(ipToInt(net) / size) * size;
  const v = ipToInt(ip);
  return v >= base && v < base + size;
}

/** Brackets and quotes pair up (a cheap stand-in for a PromQL parser, which is not available offline). */
function balanced(expr) {
  const e = String(expr).replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (/"/.test(e.replace(/""/g, ''))) return false;
  const stack = [];
  const pairs = { ')': '(', ']': '[', '}': '{' };
  for (const ch of e) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (pairs[ch] && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'inf', 'nan', 'Inf', 'NaN']);

/** Metric names an expression selects (not functions, aggregations, labels, keywords). */
export function metricNames(expr) {
  let e = String(expr);
  e = e.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/'(?:[^'\\]|\\.)*'/g, "''");
  e = e.replace(/\{[^}]*\}/g, ' ');
  e = e.replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  e = e.replace(/\boffset\s+\S+/g, ' ');
  const names = new Set();
  for (const m of e.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || PROMQL_KEYWORDS.has(m[1])) continue;
    names.add(m[1]);
  }
  return names;
}

// ----------------------------------------------------------------------------------------------------------------
// Network policy evaluation (the subset of the semantics the manifests use: pod/namespace selectors, ipBlock,
// ports; named ports are not resolved)
// ----------------------------------------------------------------------------------------------------------------

function policyTypes(np) {
  if (np.spec.policyTypes) return np.spec.policyTypes;
  return np.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}
function nsLabels(ns) {
  return { 'kubernetes.io/metadata.name': ns };
}
function peerMatches(peer, target, npNs) {
  if (peer.ipBlock) {
    if (!target.ip) return false;
    return inCidr(target.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except || []).some((c) => inCidr(target.ip, c));
  }
  if (!target.ns) return false; // outside the cluster: only ipBlock peers match
  const nsOk = peer.namespaceSelector ? labelsMatch(peer.namespaceSelector, nsLabels(target.ns)) : target.ns === npNs;
  const podOk = peer.podSelector ? labelsMatch(peer.podSelector, target.labels) : true;
  return nsOk && podOk;
}
function portMatches(ports, port, protocol) {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol || 'TCP') === protocol
    && (p.port === undefined || p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)));
}
function selecting(nps, pod, type) {
  return nps.filter((np) => np.metadata.namespace === pod.ns && labelsMatch(np.spec.podSelector, pod.labels)
    && policyTypes(np).includes(type));
}
function egressAllowed(nps, src, dst, port, protocol) {
  if (!src.ns) return true;
  const pols = selecting(nps, src, 'Egress');
  if (!pols.length) return true;
  return pols.some((np) => (np.spec.egress || []).some((r) => portMatches(r.ports, port, protocol)
    && (!r.to || r.to.length === 0 || r.to.some((peer) => peerMatches(peer, dst, np.metadata.namespace)))));
}
function ingressAllowed(nps, src, dst, port, protocol) {
  if (!dst.ns) return true;
  const pols = selecting(nps, dst, 'Ingress');
  if (!pols.length) return true;
  return pols.some((np) => (np.spec.ingress || []).some((r) => portMatches(r.ports, port, protocol)
    && (!r.from || r.from.length === 0 || r.from.some((peer) => peerMatches(peer, src, np.metadata.namespace)))));
}

// ----------------------------------------------------------------------------------------------------------------
// Rules
// ----------------------------------------------------------------------------------------------------------------

class Report {
  constructor(render) {
    this.render = render;
    this.errors = [];
    this.notes = [];
    this.assertions = 0;
  }
  check(ok, message) {
    this.assertions++;
    if (!ok) this.errors.push(message);
    return ok;
  }
  note(message) {
    if (!this.notes.includes(message)) this.notes.push(message);
  }
}

function index(docs) {
  const byKind = new Map();
  for (const d of docs) {
    if (!byKind.has(d.kind)) byKind.set(d.kind, []);
    byKind.get(d.kind).push(d);
  }
  const all = (kind) => byKind.get(kind) || [];
  const one = (kind, name) => all(kind).find((d) => d.metadata.name === name);
  return { all, one };
}

function effectiveEnv(container, ix, rep, svcName, ctx, clusters) {
  // name -> {source: 'configmap'|'secret'|'value'|'field', value?, ref?}
  const env = new Map();
  for (const ef of container.envFrom || []) {
    if (ef.configMapRef) {
      const cm = ix.one('ConfigMap', ef.configMapRef.name);
      if (!rep.check(cm || ef.configMapRef.optional, `${svcName}: envFrom ConfigMap ${ef.configMapRef.name} is not in the render`)) continue;
      for (const [k, v] of Object.entries((cm && cm.data) || {})) env.set(k, { source: 'configmap', value: v, ref: cm.metadata.name });
    } else if (ef.secretRef) {
      rep.check(false, `${svcName}: envFrom secretRef ${ef.secretRef.name}: use secretKeyRef per variable (the check cannot see which keys a whole Secret brings)`);
    }
  }
  const seen = new Set();
  for (const e of container.env || []) {
    rep.check(!seen.has(e.name), `${svcName}: env ${e.name} is listed twice`);
    seen.add(e.name);
    if (e.value !== undefined) {
      env.set(e.name, { source: 'value', value: e.value });
    } else if (e.valueFrom && e.valueFrom.configMapKeyRef) {
      const r = e.valueFrom.configMapKeyRef;
      const cm = ix.one('ConfigMap', r.name);
      const ok = cm && cm.data && Object.prototype.hasOwnProperty.call(cm.data, r.key);
      rep.check(ok || r.optional, `${svcName}: env ${e.name} refers to ConfigMap ${r.name} key ${r.key}, which is not in the render`);
      env.set(e.name, { source: 'configmap', value: ok ? cm.data[r.key] : undefined, ref: r.name });
    } else if (e.valueFrom && e.valueFrom.secretKeyRef) {
      const r = e.valueFrom.secretKeyRef;
      let ok = false;
      let m;
      if (r.name === SECRET_NAME) {
        ok = rep.check(ctx.secretKeys.has(r.key), `${svcName}: env ${e.name} refers to ${SECRET_NAME} key ${r.key}, which secrets.example.env does not have`);
      } else if ((m = /^(.+)-app$/.exec(r.name)) && clusters.has(m[1])) {
        ok = rep.check(CNPG_APP_KEYS.has(r.key), `${svcName}: env ${e.name} refers to CloudNativePG Secret ${r.name} key ${r.key}, which it does not generate`);
      } else {
        rep.check(false, `${svcName}: env ${e.name} refers to Secret ${r.name}, which is neither ${SECRET_NAME} nor the app Secret of a CloudNativePG Cluster in the render`);
      }
      env.set(e.name, { source: 'secret', ref: `${r.name}/${r.key}`, ok, optional: !!r.optional });
    } else if (e.valueFrom && (e.valueFrom.fieldRef || e.valueFrom.resourceFieldRef)) {
      env.set(e.name, { source: 'field' });
    } else {
      rep.check(false, `${svcName}: env ${e.name} has neither a value nor a supported valueFrom`);
    }
  }
  return env;
}

function preStopSeconds(container) {
  const h = container.lifecycle && container.lifecycle.preStop;
  if (!h) return 0;
  if (h.sleep) return Number(h.sleep.seconds) || 0;
  if (h.exec && h.exec.command && h.exec.command[0] === 'sleep') return Number(h.exec.command[1]) || 0;
  return 0;
}

function resolvePort(container, port) {
  if (typeof port === 'number') return (container.ports || []).some((p) => p.containerPort === port) ? port : null;
  const p = (container.ports || []).find((x) => x.name === port);
  return p ? p.containerPort : null;
}

function assertWorkloads(name, docs, ctx) {
  const rep = new Report(name);
  const ix = index(docs);
  const prod = name.startsWith('prod');
  const cnpg = name.includes('cnpg');
  const clusters = new Map(ix.all('Cluster').map((c) => [c.metadata.name, c]));

  // One namespace, declared.
  const namespaces = new Set(docs.filter((d) => d.kind !== 'Namespace').map((d) => d.metadata.namespace));
  rep.check(namespaces.size === 1 && !namespaces.has(undefined), `objects are spread over namespaces ${[...namespaces].join(', ')}`);
  const ns = [...namespaces][0];
  rep.check(ix.one('Namespace', ns), `no Namespace object ${ns}`);

  // Secrets: never committed with values.
  for (const s of ix.all('Secret')) rep.check(!s.data && !s.stringData, `Secret ${s.metadata.name} carries data/stringData: secrets are created out of band (secrets.example.env)`);
  for (const cm of ix.all('ConfigMap')) {
    for (const k of Object.keys(cm.data || {})) rep.check(!SECRET_VARS.has(k), `ConfigMap ${cm.metadata.name} holds the secret ${k}`);
  }

  rep.check(ix.all('Deployment').length === SERVICES.length, `expected ${SERVICES.length} Deployments, found ${ix.all('Deployment').map((d) => d.metadata.name).join(', ')}`);
  const kafka = ix.all('Kafka')[0];
  const usedSecretKeys = new Set();

  for (const svcName of SERVICES) {
    const info = ctx.svc[svcName];
    const dep = ix.one('Deployment', svcName);
    if (!rep.check(dep, `no Deployment ${svcName}`)) continue;
    const pod = dep.spec.template.spec;
    const podLabels = dep.spec.template.metadata.labels || {};
    rep.check(labelsMatch(dep.spec.selector, podLabels), `${svcName}: selector does not match its pod template`);
    const c = (pod.containers || []).find((x) => x.name === svcName) || (pod.containers || [])[0];
    if (!rep.check(c, `${svcName}: no container`)) continue;

    // Security context
    const psc = pod.securityContext || {};
    const csc = c.securityContext || {};
    rep.check(psc.runAsNonRoot === true || csc.runAsNonRoot === true, `${svcName}: runAsNonRoot is not set`);
    rep.check(csc.runAsNonRoot !== false && psc.runAsUser !== 0 && csc.runAsUser !== 0, `${svcName}: runs as root`);
    rep.check(csc.readOnlyRootFilesystem === true, `${svcName}: readOnlyRootFilesystem is not true`);
    rep.check(csc.allowPrivilegeEscalation === false, `${svcName}: allowPrivilegeEscalation is not false`);
    rep.check(csc.privileged !== true, `${svcName}: privileged`);
    rep.check(((csc.capabilities && csc.capabilities.drop) || []).includes('ALL'), `${svcName}: capabilities do not drop ALL`);
    rep.check(!(csc.capabilities && csc.capabilities.add && csc.capabilities.add.length), `${svcName}: adds capabilities`);
    const seccomp = (csc.seccompProfile || psc.seccompProfile || {}).type;
    rep.check(seccomp === 'RuntimeDefault' || seccomp === 'Localhost', `${svcName}: seccompProfile is not RuntimeDefault`);
    const tmp = (c.volumeMounts || []).find((v) => v.mountPath === '/tmp');
    const tmpVol = tmp && (pod.volumes || []).find((v) => v.name === tmp.name);
    rep.check(tmpVol && tmpVol.emptyDir, `${svcName}: no emptyDir mounted at /tmp (needed with a read-only root filesystem)`);
    rep.check(pod.automountServiceAccountToken === false, `${svcName}: the pod mounts a service account token`);
    const sa = ix.one('ServiceAccount', pod.serviceAccountName);
    rep.check(sa && sa.automountServiceAccountToken === false, `${svcName}: ServiceAccount ${pod.serviceAccountName} missing or not automountServiceAccountToken: false`);
    rep.check(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, `${svcName}: uses host namespaces`);

    // Image
    const image = c.image || '';
    rep.check(/@sha256:|:[\w.-]+$/.test(image.replace(/^[^/]*:\d+\//, '')) && !/:latest$/.test(image), `${svcName}: image ${image} has no pinned tag`);
    if (prod && /SNAPSHOT/.test(image)) rep.note(`${name}: images are still the -SNAPSHOT placeholders: CI pins each with kustomize edit set image (README.md, Images)`);

    // Port and probes
    const http = (c.ports || []).find((p) => p.name === 'http');
    rep.check(http && http.containerPort === info.port, `${svcName}: containerPort ${http && http.containerPort} is not quarkus.http.port ${info.port} (${relative(repoRoot, info.propsPath)})`);
    const probe = (p, path, what) => {
      if (!rep.check(p && p.httpGet, `${svcName}: no ${what}`)) return;
      rep.check(p.httpGet.path === path, `${svcName}: ${what} path ${p.httpGet.path}, expected ${path}`);
      rep.check(resolvePort(c, p.httpGet.port) === info.port, `${svcName}: ${what} port ${p.httpGet.port} is not the http port`);
    };
    probe(c.livenessProbe, '/q/health/live', 'livenessProbe');
    probe(c.readinessProbe, '/q/health/ready', 'readinessProbe');
    rep.check(c.startupProbe && (c.startupProbe.httpGet || c.startupProbe.tcpSocket), `${svcName}: no startupProbe`);
    if (c.startupProbe && c.startupProbe.httpGet) rep.check(resolvePort(c, c.startupProbe.httpGet.port) === info.port, `${svcName}: startupProbe port is not the http port`);

    // Resources
    const r = c.resources || {};
    for (const kind of ['cpu', 'memory']) {
      const req = quantity((r.requests || {})[kind]);
      const lim = quantity((r.limits || {})[kind]);
      rep.check(req > 0, `${svcName}: no ${kind} request`);
      rep.check(lim > 0, `${svcName}: no ${kind} limit`);
      rep.check(!(req > lim), `${svcName}: ${kind} request above its limit`);
    }

    // Environment
    const env = effectiveEnv(c, ix, rep, svcName, ctx, clusters);
    for (const [k, v] of env) {
      if (v.source === 'secret' && v.ref.startsWith(`${SECRET_NAME}/`)) usedSecretKeys.add(v.ref.slice(SECRET_NAME.length + 1));
      rep.check(info.reads.has(k) || info.wildcards.some((w) => w.test(k)) || PLATFORM_VARS.test(k), `${svcName}: sets ${k}, which ${svcName} does not read (not in its application.properties or config mapping)`);
      if (SECRET_VARS.has(k)) rep.check(v.source === 'secret', `${svcName}: ${k} is a secret but comes from ${v.source}${v.ref ? ` ${v.ref}` : ''}`);
    }
    for (const k of [...COMMON_REQUIRED, ...REQUIRED[svcName], ...info.required]) {
      const v = env.get(k);
      rep.check(v && (v.source === 'secret' || (v.value !== undefined && v.value !== '')), `${svcName}: required variable ${k} is not set`);
    }
    const val = (k) => (env.get(k) || {}).value;
    rep.check(val('QUARKUS_PROFILE') === 'prod', `${svcName}: QUARKUS_PROFILE is ${val('QUARKUS_PROFILE')}, not prod`);
    const shutdown = seconds(val('QUARKUS_SHUTDOWN_TIMEOUT'));
    const grace = pod.terminationGracePeriodSeconds === undefined ? 30 : pod.terminationGracePeriodSeconds;
    const pause = preStopSeconds(c);
    // sms-dispatcher's stop also waits for its messages in flight (SMS_SHUTDOWN_DRAIN, after the HTTP requests).
    const drain = env.has('SMS_SHUTDOWN_DRAIN') ? seconds(val('SMS_SHUTDOWN_DRAIN')) : 0;
    rep.check(shutdown > 0 && grace > shutdown + drain + pause, `${svcName}: terminationGracePeriodSeconds ${grace} is not longer than QUARKUS_SHUTDOWN_TIMEOUT ${val('QUARKUS_SHUTDOWN_TIMEOUT')}${drain ? ` + SMS_SHUTDOWN_DRAIN ${val('SMS_SHUTDOWN_DRAIN')}` : ''} + preStop ${pause}s`);
    // What the services' prod profile refuses at start-up (their StartupChecks), as far as a manifest shows it.
    rep.check(val('OTP_EXPOSE_CODE') === undefined || val('OTP_EXPOSE_CODE') === 'false', `${svcName}: OTP_EXPOSE_CODE is on (refused in the prod profile)`);
    rep.check(!env.has('OTP_TEST_NUMBERS'), `${svcName}: OTP_TEST_NUMBERS is set (refused in the prod profile)`);
    rep.check(!(val('SMS_PROVIDER') === 'console' && val('SMS_CONSOLE_SHOW_CODE') === 'true'), `${svcName}: SMS_CONSOLE_SHOW_CODE=true with the console provider (refused in the prod profile)`);
    if (env.has('OTP_FRAUD_MODE')) rep.check(['block', 'monitor', 'off'].includes(val('OTP_FRAUD_MODE')), `${svcName}: OTP_FRAUD_MODE ${val('OTP_FRAUD_MODE')} is not block, monitor or off`);
    if (env.has('TELEGRAM_MODE')) {
      const mode = val('TELEGRAM_MODE');
      rep.check(['webhook', 'polling', 'off'].includes(mode), `${svcName}: TELEGRAM_MODE ${mode} is not webhook, polling or off`);
      rep.check(!(prod && mode === 'polling'), `${svcName}: TELEGRAM_MODE=polling with several replicas (one poller per bot token)`);
      if (mode === 'webhook') rep.check(/\/telegram\/webhook$/.test(String(val('TELEGRAM_WEBHOOK_URL'))), `${svcName}: TELEGRAM_WEBHOOK_URL does not end in /telegram/webhook`);
    }
    if (kafka) {
      const plain = (kafka.spec.kafka.listeners || []).find((l) => l.tls === false && l.type === 'internal');
      const want = plain && `${kafka.metadata.name}-kafka-bootstrap:${plain.port}`;
      rep.check(val('KAFKA_BOOTSTRAP_SERVERS') === want, `${svcName}: KAFKA_BOOTSTRAP_SERVERS ${val('KAFKA_BOOTSTRAP_SERVERS')} is not the Strimzi bootstrap ${want}`);
    }
    if (env.has('OTP_URL')) rep.check(val('OTP_URL') === `http://otp-service:${ctx.svc['otp-service'].port}`, `${svcName}: OTP_URL ${val('OTP_URL')} is not the otp-service Service`);
    if (env.has('JWKS_URL')) {
      const p = ctx.svc['identity-service'].port;
      rep.check([`http://localhost:${p}/`, `http://identity-service:${p}/`].some((u) => String(val('JWKS_URL')).startsWith(u)), `${svcName}: JWKS_URL ${val('JWKS_URL')} is served neither by identity-service over loopback nor by its Service`);
    }
    if (val('SMS_PROVIDER') === 'console') {
      rep.check(!prod, `${svcName}: the console SMS provider in a production render`);
    }
    if (prod && svcName === 'sms-dispatcher') {
      if (val('SMS_PROVIDER') === 'twilio' && (!val('TWILIO_ACCOUNT_SID') || (!val('TWILIO_FROM_NUMBER') && !val('TWILIO_MESSAGING_SERVICE_SID')))) {
        rep.note(`${name}: sms-dispatcher will refuse to start until TWILIO_ACCOUNT_SID and a sender (TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID) are set in overlays/prod/config/sms-dispatcher.env`);
      }
    }
    if (/example\.(com|org)/.test(String(val('PUBLIC_BASE_URL') || val('JWT_ISSUER') || val('SMS_PUBLIC_URL') || ''))) {
      rep.note(`${name}: public URLs are still the example host: set yours in overlays/${name.replace(/-cnpg$/, '')}/config/*.env and the Ingress host`);
    }

    // CloudNativePG wiring
    if (cnpg && SERVICE_DB[svcName]) {
      const cluster = [...clusters.values()].find((cl) => cl.spec.bootstrap && cl.spec.bootstrap.initdb && cl.spec.bootstrap.initdb.database === SERVICE_DB[svcName]);
      if (rep.check(cluster, `${svcName}: no CloudNativePG Cluster with database ${SERVICE_DB[svcName]}`)) {
        const cn = cluster.metadata.name;
        rep.check(val('DB_URL') === `postgresql://${cn}-rw:5432/${SERVICE_DB[svcName]}`, `${svcName}: DB_URL ${val('DB_URL')} is not ${cn}-rw`);
        rep.check((env.get('DB_PASSWORD') || {}).ref === `${cn}-app/password`, `${svcName}: DB_PASSWORD is not from ${cn}-app`);
        rep.check((env.get('DB_USER') || {}).ref === `${cn}-app/username`, `${svcName}: DB_USER is not from ${cn}-app`);
        rep.check(cluster.spec.instances >= (prod ? 2 : 1), `${cn}: ${cluster.spec.instances} instance(s)`);
      }
    }

    // Service
    const svc = ix.one('Service', svcName);
    if (rep.check(svc, `no Service ${svcName}`)) {
      rep.check(svc.spec.selector && labelsMatch({ matchLabels: svc.spec.selector }, podLabels), `Service ${svcName} does not select its pods`);
      const sp = (svc.spec.ports || [])[0] || {};
      rep.check(sp.port === info.port, `Service ${svcName} port ${sp.port} is not ${info.port}`);
      rep.check(resolvePort(c, sp.targetPort === undefined ? sp.port : sp.targetPort) === info.port, `Service ${svcName} targetPort ${sp.targetPort} does not reach the container port`);
      rep.check(!svc.spec.type || svc.spec.type === 'ClusterIP', `Service ${svcName} is ${svc.spec.type}: public traffic goes through the Ingress only`);
    }

    // Disruption and scaling
    const pdbs = ix.all('PodDisruptionBudget').filter((p) => labelsMatch(p.spec.selector, podLabels) && p.spec.selector);
    rep.check(pdbs.length === 1, `${svcName}: ${pdbs.length} PodDisruptionBudgets select it, expected 1`);
    const hpas = ix.all('HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === svcName);
    if (prod) {
      if (rep.check(hpas.length === 1, `${svcName}: ${hpas.length} HorizontalPodAutoscalers target it in ${name}, expected 1`)) {
        const h = hpas[0];
        rep.check(h.spec.minReplicas >= 2, `${svcName}: HPA minReplicas ${h.spec.minReplicas} < 2 in ${name}`);
        rep.check(h.spec.maxReplicas >= h.spec.minReplicas, `${svcName}: HPA maxReplicas below minReplicas`);
        rep.check((h.spec.metrics || []).length > 0, `${svcName}: HPA has no metrics`);
        rep.check(dep.spec.replicas === undefined || dep.spec.replicas >= h.spec.minReplicas, `${svcName}: spec.replicas ${dep.spec.replicas} below the HPA floor`);
        for (const p of pdbs) {
          if (p.spec.minAvailable !== undefined) rep.check(Number(p.spec.minAvailable) < h.spec.minReplicas, `${svcName}: PDB minAvailable ${p.spec.minAvailable} blocks every eviction at ${h.spec.minReplicas} replicas`);
        }
      }
      const spread = (pod.topologySpreadConstraints || []).some((t) => t.topologyKey === 'kubernetes.io/hostname' && labelsMatch(t.labelSelector, podLabels));
      const anti = pod.affinity && pod.affinity.podAntiAffinity;
      rep.check(spread || anti, `${svcName}: no topology spread or pod anti-affinity over nodes in ${name}`);
    } else {
      rep.check(hpas.length === 0, `${svcName}: HPA in ${name} (dev runs one replica)`);
      rep.check(dep.spec.replicas === 1, `${svcName}: ${dep.spec.replicas} replicas in ${name}, expected 1`);
    }
    for (const p of pdbs) {
      if (p.spec.maxUnavailable !== undefined) rep.check(String(p.spec.maxUnavailable) !== '0' && p.spec.maxUnavailable !== '0%', `${svcName}: PDB maxUnavailable 0 blocks every eviction`);
      if (!prod && p.spec.minAvailable !== undefined) rep.check(Number(p.spec.minAvailable) < 1, `${svcName}: PDB minAvailable blocks node drains with one replica`);
    }
  }
  if (prod && !cnpg) {
    for (const k of ctx.secretKeys) rep.check(usedSecretKeys.has(k), `secrets.example.env has ${k}, which no Deployment uses`);
  }

  assertKafka(rep, ix, ctx, prod);
  assertIngress(rep, ix, ctx);
  assertNetwork(rep, ix, ctx, ns, cnpg);
  return rep;
}

function assertKafka(rep, ix, ctx, prod) {
  const kafkas = ix.all('Kafka');
  if (!rep.check(kafkas.length === 1, `expected one Kafka, found ${kafkas.length}`)) return;
  const k = kafkas[0];
  const a = k.metadata.annotations || {};
  rep.check(a['strimzi.io/kraft'] === 'enabled', 'Kafka: annotation strimzi.io/kraft is not enabled');
  rep.check(a['strimzi.io/node-pools'] === 'enabled', 'Kafka: annotation strimzi.io/node-pools is not enabled');
  const pools = ix.all('KafkaNodePool').filter((p) => p.metadata.labels['strimzi.io/cluster'] === k.metadata.name);
  rep.check(pools.length === ix.all('KafkaNodePool').length, 'a KafkaNodePool belongs to no Kafka of the render');
  const brokers = pools.filter((p) => p.spec.roles.includes('broker')).reduce((n, p) => n + p.spec.replicas, 0);
  const controllers = pools.filter((p) => p.spec.roles.includes('controller')).reduce((n, p) => n + p.spec.replicas, 0);
  const want = prod ? 3 : 1;
  rep.check(brokers === want, `Kafka: ${brokers} brokers, expected ${want}`);
  rep.check(controllers === want, `Kafka: ${controllers} controllers, expected ${want}`);
  rep.check(controllers % 2 === 1, `Kafka: an even number of controllers (${controllers}) has no majority advantage`);
  const cfg = k.spec.kafka.config || {};
  const rf = Number(cfg['default.replication.factor']);
  const isr = Number(cfg['min.insync.replicas']);
  rep.check(rf <= brokers && Number(cfg['offsets.topic.replication.factor']) <= brokers, 'Kafka: replication factors above the broker count');
  rep.check(cfg['auto.create.topics.enable'] === false || cfg['auto.create.topics.enable'] === 'false', 'Kafka: topic auto-creation is on');
  if (prod) rep.check(rf === 3 && isr === 2, `Kafka: default.replication.factor ${rf} / min.insync.replicas ${isr}, expected 3/2 in prod`);

  // Topics: exactly the AsyncAPI channels.
  const topics = ix.all('KafkaTopic');
  const byName = new Map(topics.map((t) => [t.spec.topicName || t.metadata.name, t]));
  rep.check(byName.size === topics.length, 'two KafkaTopics for the same topic');
  for (const ch of ctx.channels) {
    const t = byName.get(ch.address);
    if (!rep.check(t, `no KafkaTopic for AsyncAPI channel ${ch.channel} (${ch.address})`)) continue;
    rep.check(t.metadata.labels['strimzi.io/cluster'] === k.metadata.name, `KafkaTopic ${ch.address} is not labelled for Kafka ${k.metadata.name}`);
    rep.check(t.spec.partitions === ch.partitions, `KafkaTopic ${ch.address}: ${t.spec.partitions} partitions, AsyncAPI says ${ch.partitions}`);
    const r = t.spec.replicas;
    const m = Number((t.spec.config || {})['min.insync.replicas']);
    if (prod) rep.check(r === 3 && m === 2, `KafkaTopic ${ch.address}: replicas ${r} / min.insync.replicas ${m}, expected 3/2 in prod`);
    else rep.check(r === 1 && m === 1, `KafkaTopic ${ch.address}: replicas ${r} / min.insync.replicas ${m}, expected 1/1 in dev`);
    rep.check(r <= brokers && m <= r, `KafkaTopic ${ch.address}: replicas ${r} / min.insync ${m} do not fit ${brokers} brokers`);
  }
  const addresses = new Set(ctx.channels.map((c) => c.address));
  for (const name of byName.keys()) rep.check(addresses.has(name), `KafkaTopic ${name} is not a channel of docs/asyncapi.yaml`);
  for (const a2 of addresses) if (!a2.endsWith('.dlq')) rep.check(addresses.has(`${a2}.dlq`), `channel ${a2} has no .dlq twin in docs/asyncapi.yaml`);
}

function assertIngress(rep, ix, ctx) {
  const routes = [];
  for (const ing of ix.all('Ingress')) {
    rep.check(!ing.spec.defaultBackend, `Ingress ${ing.metadata.name} has a default backend: everything would be public`);
    const tlsHosts = new Set((ing.spec.tls || []).flatMap((t) => t.hosts || []));
    for (const rule of ing.spec.rules || []) {
      rep.check(rule.host && tlsHosts.has(rule.host), `Ingress ${ing.metadata.name}: host ${rule.host} without TLS`);
      for (const p of (rule.http && rule.http.paths) || []) {
        const b = p.backend.service || {};
        routes.push([p.path, p.pathType, b.name]);
        const svc = ix.one('Service', b.name);
        if (rep.check(svc, `Ingress ${ing.metadata.name}: backend ${b.name} is not a Service of the render`)) {
          const port = b.port && (b.port.number || (svc.spec.ports.find((x) => x.name === b.port.name) || {}).port);
          rep.check(svc.spec.ports.some((x) => x.port === port), `Ingress ${ing.metadata.name}: ${p.path} goes to port ${port}, which ${b.name} does not serve`);
        }
        rep.check(b.name !== 'otp-service', `Ingress ${ing.metadata.name} exposes otp-service (${p.path}): its API is cluster-internal`);
      }
    }
  }
  const key = (r) => r.join(' ');
  const have = new Set(routes.map(key));
  const want = new Set(PUBLIC_PATHS.map(key));
  for (const r of want) rep.check(have.has(r), `Ingress: public route missing: ${r}`);
  for (const r of have) rep.check(want.has(r), `Ingress: route not in the public surface: ${r}`);
}

// The ingress policy Strimzi generates for the broker pods from the Kafka resource (not in the render): each
// listener's port admits its networkPolicyPeers, or everyone when there are none.
function strimziPolicies(ix) {
  return ix.all('Kafka').map((k) => ({
    kind: 'NetworkPolicy',
    metadata: { name: `${k.metadata.name}-network-policy-kafka (generated by Strimzi)`, namespace: k.metadata.namespace },
    spec: {
      podSelector: { matchLabels: { 'strimzi.io/cluster': k.metadata.name, 'strimzi.io/kind': 'Kafka' } },
      policyTypes: ['Ingress'],
      ingress: (k.spec.kafka.listeners || []).map((l) => ({ ports: [{ protocol: 'TCP', port: l.port }], ...(l.networkPolicyPeers ? { from: l.networkPolicyPeers } : {}) })),
    },
  }));
}

function assertNetwork(rep, ix, ctx, ns, cnpg) {
  const nps = [...ix.all('NetworkPolicy'), ...strimziPolicies(ix)];
  const deny = nps.find((np) => np.spec.podSelector && Object.keys(np.spec.podSelector).length === 0
    && policyTypes(np).includes('Ingress') && policyTypes(np).includes('Egress')
    && !(np.spec.ingress || []).length && !(np.spec.egress || []).length);
  rep.check(deny, 'no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)');

  const pods = {};
  let n = 10;
  for (const s of SERVICES) {
    const dep = ix.one('Deployment', s);
    if (dep) pods[s] = { ns, labels: dep.spec.template.metadata.labels, ip: `10.244.0.${n++}` };
  }
  if (Object.keys(pods).length !== SERVICES.length) return;
  const kafka = ix.all('Kafka')[0];
  const broker = { ns, ip: '10.244.1.1', labels: { 'strimzi.io/cluster': kafka ? kafka.metadata.name : 'x', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${kafka ? kafka.metadata.name : 'x'}-kafka`, 'strimzi.io/broker-role': 'true' } };
  const ingressCtl = { ns: 'ingress-nginx', ip: '10.244.2.1', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
  const prometheus = { ns: 'monitoring', ip: '10.244.3.1', labels: { 'app.kubernetes.io/name': 'prometheus' } };
  const stranger = { ns: 'other', ip: '10.244.4.1', labels: { 'app.kubernetes.io/name': 'otp-service' } };
  const sameNsStranger = { ns, ip: '10.244.4.2', labels: { app: 'debug' } };
  const dns = { ns: 'kube-system', ip: '10.96.0.10', labels: { 'k8s-app': 'kube-dns' } };
  const internet = { ip: '203.0.113.7' };
  const privateHost = { ip: '10.20.30.40' };
  const metadata = { ip: '169.254.169.254' };
  const can = (src, dst, port, proto = 'TCP') => egressAllowed(nps, src, dst, port, proto) && ingressAllowed(nps, src, dst, port, proto);
  const port = (s) => ctx.svc[s].port;

  const calls = new Set(['identity-service>otp-service', 'telegram-gateway>otp-service']);
  for (const a of SERVICES) {
    for (const b of SERVICES) {
      const allowed = can(pods[a], pods[b], port(b));
      const expect = calls.has(`${a}>${b}`);
      rep.check(allowed === expect, `NetworkPolicy: ${a} -> ${b}:${port(b)} is ${allowed ? 'allowed' : 'denied'}, expected ${expect ? 'allowed' : 'denied'}`);
    }
    rep.check(can(pods[a], broker, 9092), `NetworkPolicy: ${a} cannot reach the Kafka brokers on 9092`);
    rep.check(!egressAllowed(nps, pods[a], broker, 9091, 'TCP'), `NetworkPolicy: ${a} reaches the brokers' replication port 9091`);
    rep.check(can(pods[a], dns, 53, 'UDP') && can(pods[a], dns, 53, 'TCP'), `NetworkPolicy: ${a} has no DNS`);
    const https = can(pods[a], internet, 443);
    const wantHttps = a === 'telegram-gateway' || a === 'sms-dispatcher';
    rep.check(https === wantHttps, `NetworkPolicy: ${a} -> Internet:443 is ${https ? 'allowed' : 'denied'}, expected ${wantHttps ? 'allowed' : 'denied'}`);
    rep.check(!can(pods[a], internet, 80), `NetworkPolicy: ${a} reaches the Internet on port 80`);
    rep.check(!can(pods[a], privateHost, 443) && !can(pods[a], metadata, 80) && !can(pods[a], metadata, 443), `NetworkPolicy: ${a} reaches private addresses or cloud metadata on 443/80`);
    const publicSvc = a !== 'otp-service';
    rep.check(can(ingressCtl, pods[a], port(a)) === publicSvc, `NetworkPolicy: ingress controller -> ${a} is ${publicSvc ? 'denied' : 'allowed'}`);
    rep.check(can(prometheus, pods[a], port(a)), `NetworkPolicy: Prometheus cannot scrape ${a}`);
    rep.check(!can(stranger, pods[a], port(a)) && !can(sameNsStranger, pods[a], port(a)), `NetworkPolicy: an unrelated pod reaches ${a}`);
    const redis = can(pods[a], privateHost, 6379);
    rep.check(redis === (a === 'otp-service'), `NetworkPolicy: ${a} -> Redis:6379 is ${redis ? 'allowed' : 'denied'}`);
    if (!cnpg) {
      const pg = can(pods[a], privateHost, 5432);
      rep.check(pg === Boolean(SERVICE_DB[a]), `NetworkPolicy: ${a} -> PostgreSQL:5432 is ${pg ? 'allowed' : 'denied'}`);
    }
  }
  if (cnpg) {
    const clusters = ix.all('Cluster');
    for (const a of SERVICES) {
      rep.check(!can(pods[a], privateHost, 5432), `NetworkPolicy: ${a} reaches any address on 5432 despite CloudNativePG`);
      for (const cl of clusters) {
        const db = { ns, ip: '10.244.5.1', labels: { 'cnpg.io/cluster': cl.metadata.name, 'cnpg.io/instanceRole': 'primary' } };
        const own = cl.spec.bootstrap.initdb.database === SERVICE_DB[a];
        const ok = can(pods[a], db, 5432);
        rep.check(ok === own, `NetworkPolicy: ${a} -> ${cl.metadata.name}:5432 is ${ok ? 'allowed' : 'denied'}, expected ${own ? 'allowed' : 'denied'}`);
        const replica = { ...db, ip: '10.244.5.2', labels: { ...db.labels, 'cnpg.io/instanceRole': 'replica' } };
        if (a === SERVICES[0]) {
          rep.check(can(replica, db, 5432), `NetworkPolicy: ${cl.metadata.name} instances cannot replicate`);
          rep.check(can({ ns: 'cnpg-system', ip: '10.244.6.1', labels: {} }, db, 8000), `NetworkPolicy: the CloudNativePG operator cannot reach ${cl.metadata.name}`);
        }
      }
    }
  }
}

function assertMonitoring(name, docs, prodDocs, ctx) {
  const rep = new Report(name);
  const ix = index(docs);
  const pix = index(prodDocs);
  for (const s of SERVICES) {
    const svc = pix.one('Service', s);
    const sms = ix.all('ServiceMonitor').filter((m) => svc && labelsMatch(m.spec.selector, svc.metadata.labels));
    if (!rep.check(sms.length === 1, `${sms.length} ServiceMonitors select Service ${s}, expected 1`)) continue;
    const m = sms[0];
    rep.check(m.metadata.namespace === svc.metadata.namespace || (m.spec.namespaceSelector && (m.spec.namespaceSelector.any || (m.spec.namespaceSelector.matchNames || []).includes(svc.metadata.namespace))), `ServiceMonitor ${m.metadata.name} does not look in namespace ${svc.metadata.namespace}`);
    for (const ep of m.spec.endpoints || []) {
      rep.check(ep.path === '/q/metrics', `ServiceMonitor ${m.metadata.name}: path ${ep.path}, expected /q/metrics`);
      rep.check(svc.spec.ports.some((p) => p.name === ep.port), `ServiceMonitor ${m.metadata.name}: port ${ep.port} is not a named port of Service ${s}`);
    }
  }
  const kafka = pix.all('Kafka')[0];
  const exporterLabels = { 'strimzi.io/name': `${kafka.metadata.name}-kafka-exporter`, 'strimzi.io/kind': 'Kafka', 'strimzi.io/cluster': kafka.metadata.name };
  rep.check(ix.all('PodMonitor').some((p) => labelsMatch(p.spec.selector, exporterLabels)), 'no PodMonitor for the Strimzi Kafka Exporter');
  rep.check(kafka.spec.kafkaExporter, 'the rules use Kafka Exporter metrics, but Kafka has no kafkaExporter');

  const known = (metric) => ctx.metrics.has(metric) || Object.prototype.hasOwnProperty.call(EXTERNAL_METRICS, metric);
  const alerts = new Set();
  let rules = 0;
  for (const pr of ix.all('PrometheusRule')) {
    for (const g of pr.spec.groups || []) {
      for (const r of g.rules || []) {
        rules++;
        const id = r.alert || r.record;
        if (r.alert) {
          rep.check(!alerts.has(r.alert), `alert ${r.alert} defined twice`);
          alerts.add(r.alert);
          rep.check(r.labels && r.labels.severity, `alert ${r.alert} has no severity label`);
          rep.check(r.annotations && r.annotations.summary, `alert ${r.alert} has no summary`);
        }
        rep.check(balanced(r.expr), `rule ${id}: unbalanced brackets or quotes in ${r.expr}`);
        const names = metricNames(r.expr);
        rep.check(names.size > 0, `rule ${id}: no metric in ${r.expr}`);
        for (const mname of names) rep.check(known(mname), `rule ${id}: metric ${mname} is neither registered by a service's code nor a known exporter metric`);
      }
    }
  }
  rep.check(rules > 0, 'no PrometheusRule rules');
  for (const cm of ix.all('ConfigMap')) {
    for (const [file, text] of Object.entries(cm.data || {})) {
      if (!file.endsWith('.json')) continue;
      let dash;
      try {
        dash = JSON.parse(text);
      } catch (e) {
        rep.check(false, `ConfigMap ${cm.metadata.name}/${file}: not JSON (${e.message})`);
        continue;
      }
      for (const p of dash.panels || []) {
        for (const t of p.targets || []) {
          rep.check(balanced(t.expr || ''), `dashboard panel "${p.title}": unbalanced brackets or quotes`);
          for (const mname of metricNames(t.expr || '')) rep.check(known(mname), `dashboard panel "${p.title}": metric ${mname} is unknown`);
        }
      }
    }
  }
  for (const [metric, where] of ctx.metrics) {
    const used = ix.all('PrometheusRule').some((pr) => JSON.stringify(pr.spec).includes(metric))
      || ix.all('ConfigMap').some((c) => JSON.stringify(c.data || {}).includes(metric));
    if (!used) rep.note(`metric ${metric} (${where}) is used by no rule and no dashboard panel`);
  }
  return rep;
}

function assertSources(ctx) {
  const rep = new Report('sources');
  let current = '';
  try {
    current = read(topicsPath);
  } catch {
    // reported below
  }
  rep.check(current === renderTopics(ctx.channels), `${relative(repoRoot, topicsPath)} differs from what tools/topics.mjs generates from docs/asyncapi.yaml: run node deploy/k8s/tools/topics.mjs`);
  for (const s of SERVICES) rep.check(ctx.svc[s].port, `${s}: no quarkus.http.port in application.properties`);
  // The Dockerfiles: fast-jar layout, non-root, the port.
  for (const s of SERVICES) {
    const path = join(repoRoot, s, 'src/main/docker/Dockerfile.jvm');
    let text = '';
    try {
      text = read(path);
    } catch {
      rep.check(false, `${relative(repoRoot, path)} is missing`);
      continue;
    }
    const from = /^FROM\s+(\S+)/m.exec(text);
    rep.check(from && /:[\w.-]+$|@sha256:/.test(from[1]) && !/:latest$/.test(from[1]), `${s}: Dockerfile.jvm base image is not pinned`);
    for (const part of ['lib/', '*.jar', 'app/', 'quarkus/']) rep.check(text.includes(`target/quarkus-app/${part}`), `${s}: Dockerfile.jvm does not copy target/quarkus-app/${part}`);
    rep.check(/^USER\s+185\b/m.test(text), `${s}: Dockerfile.jvm does not run as uid 185`);
    rep.check(new RegExp(`^EXPOSE\\s+${ctx.svc[s].port}\\b`, 'm').test(text), `${s}: Dockerfile.jvm does not EXPOSE ${ctx.svc[s].port}`);
  }
  for (const m of ctx.metrics.keys()) rep.check(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m), `metric name ${m} is not a valid Prometheus name`);
  return rep;
}

// ----------------------------------------------------------------------------------------------------------------
// Running
// ----------------------------------------------------------------------------------------------------------------

function loadRender(path) {
  const docs = [];
  for (const d of YAML.parseAllDocuments(read(path))) {
    if (d.errors && d.errors.length) throw new Error(`${path}: ${d.errors[0].message}`);
    const js = d.toJS();
    if (js) docs.push(js);
  }
  return docs;
}

function runAll(renders, ctx, schemas) {
  const reports = [];
  let objects = 0;
  for (const [name, docs] of Object.entries(renders)) {
    const rep = new Report(`${name} schemas`);
    for (const d of docs) {
      objects++;
      rep.assertions++;
      rep.errors.push(...schemaErrors(d, schemas));
    }
    reports.push(rep);
    if (name === 'monitoring') reports.push(assertMonitoring(name, docs, renders.prod, ctx));
    else reports.push(assertWorkloads(name, docs, ctx));
  }
  reports.push(assertSources(ctx));
  return { reports, objects };
}

const clone = (x) => JSON.parse(JSON.stringify(x));

// Broken variants of the real renders: each must be rejected, with a message matching `expect`.
const MUTATIONS = [
  ['a Deployment without readinessProbe', /no readinessProbe/, (r) => { dep(r, 'otp-service').readinessProbe = undefined; }],
  ['a writable root filesystem', /readOnlyRootFilesystem/, (r) => { dep(r, 'sms-dispatcher').securityContext.readOnlyRootFilesystem = false; }],
  ['capabilities not dropped', /drop ALL/, (r) => { dep(r, 'identity-service').securityContext.capabilities.drop = []; }],
  ['no memory limit', /no memory limit/, (r) => { delete dep(r, 'telegram-gateway').resources.limits.memory; }],
  ['a misspelt field (livenesProbe)', /livenesProbe: unknown field/, (r) => { const c = dep(r, 'otp-service'); c.livenesProbe = c.livenessProbe; delete c.livenessProbe; }],
  ['a wrongly typed field', /must be integer/, (r) => { find(r.prod, 'Deployment', 'otp-service').spec.revisionHistoryLimit = 'five'; }],
  ['containerPort not quarkus.http.port', /quarkus\.http\.port/, (r) => { dep(r, 'otp-service').ports[0].containerPort = 8080; }],
  ['a Secret with data', /carries data/, (r) => { r.prod.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'oops', namespace: 'phonekey' }, stringData: { OTP_CODE_PEPPERS: 'x' } }); }],
  ['a secret as a plain value', /is a secret but comes from value/, (r) => { const e = dep(r, 'otp-service').env.find((x) => x.name === 'OTP_CODE_PEPPERS'); delete e.valueFrom; e.value = 'pepper'; }],
  ['a secret key missing from secrets.example.env', /does not have/, (r) => { dep(r, 'sms-dispatcher').env.find((e) => e.name === 'TWILIO_AUTH_TOKEN').valueFrom.secretKeyRef.key = 'TWILIO_TOKEN'; }],
  ['a ConfigMap that does not exist', /is not in the render/, (r) => { dep(r, 'identity-service').envFrom[0].configMapRef.name = 'identity-config-typo'; }],
  ['a variable the service does not read', /does not read/, (r) => { cm(r, 'otp-service').data.OTP_LIMT_IP_1H = '30'; }],
  ['codes in the console log', /SMS_CONSOLE_SHOW_CODE=true/, (r) => { Object.assign(cm(r, 'sms-dispatcher').data, { SMS_PROVIDER: 'console', SMS_CONSOLE_SHOW_CODE: 'true' }); }],
  ['a shutdown timeout longer than the grace period', /terminationGracePeriodSeconds/, (r) => { cm(r, 'sms-dispatcher').data.QUARKUS_SHUTDOWN_TIMEOUT = '40s'; }],
  ['a shutdown drain longer than the grace period allows', /SMS_SHUTDOWN_DRAIN/, (r) => { cm(r, 'sms-dispatcher').data.SMS_SHUTDOWN_DRAIN = '30s'; }],
  ['no PodDisruptionBudget', /PodDisruptionBudgets select it/, (r) => { r.prod = r.prod.filter((d) => !(d.kind === 'PodDisruptionBudget' && d.metadata.name === 'telegram-gateway')); }],
  ['no HPA in prod', /HorizontalPodAutoscalers target it/, (r) => { r.prod = r.prod.filter((d) => !(d.kind === 'HorizontalPodAutoscaler' && d.metadata.name === 'otp-service')); }],
  ['a missing KafkaTopic', /no KafkaTopic for AsyncAPI channel/, (r) => { r.prod = r.prod.filter((d) => !(d.kind === 'KafkaTopic' && d.spec.topicName === 'security.notice.dlq')); }],
  ['a KafkaTopic with replicas 1 in prod', /expected 3\/2 in prod/, (r) => { r.prod.find((d) => d.kind === 'KafkaTopic').spec.replicas = 1; }],
  ['a Strimzi field of the wrong type', /KafkaTopic.*partitions must be integer/, (r) => { r.prod.find((d) => d.kind === 'KafkaTopic').spec.partitions = 'six'; }],
  ['an unknown Strimzi field', /must NOT have additional properties \(replica\)/, (r) => { find(r.prod, 'KafkaNodePool', 'dual-role').spec.replica = 3; }],
  ['an unknown CloudNativePG field', /must NOT have additional properties \(instance\)/, (r) => { find(r['prod-cnpg'], 'Cluster', 'sms-db').spec.instance = 3; }],
  ['sms-dispatcher allowed to call otp-service', /sms-dispatcher -> otp-service:8081 is allowed/, (r) => { find(r.prod, 'NetworkPolicy', 'otp-service-ingress').spec.ingress[0].from.push({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'sms-dispatcher' } } }); find(r.prod, 'NetworkPolicy', 'sms-dispatcher-egress').spec.egress.push({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otp-service' } } }] }); }],
  ['no default deny', /default-deny/, (r) => { r.prod = r.prod.filter((d) => !(d.kind === 'NetworkPolicy' && d.metadata.name === 'default-deny-all')); }],
  ['otp-service on the Ingress', /exposes otp-service/, (r) => { find(r.prod, 'Ingress', 'phonekey-identity').spec.rules[0].http.paths.push({ path: '/api/v1', pathType: 'Prefix', backend: { service: { name: 'otp-service', port: { number: 8081 } } } }); }],
  ['the whole gateway on the Ingress', /not in the public surface/, (r) => { find(r.prod, 'Ingress', 'phonekey-telegram-webapp').spec.rules[0].http.paths[0] = { path: '/', pathType: 'Prefix', backend: { service: { name: 'telegram-gateway', port: { number: 8083 } } } }; }],
  ['an alert on a metric nobody registers', /phonekey_sms_failed_total/, (r) => { find(r.monitoring, 'PrometheusRule', 'phonekey').spec.groups[0].rules[0].expr = 'rate(phonekey_sms_failed_total[5m]) > 0'; }],
  ['an alert with an unclosed bracket', /unbalanced/, (r) => { const g = find(r.monitoring, 'PrometheusRule', 'phonekey').spec.groups[1].rules[0]; g.expr = g.expr.replace('(rate(', '(rate(('); }],
  ['a ServiceMonitor on the wrong path', /expected \/q\/metrics/, (r) => { find(r.monitoring, 'ServiceMonitor', 'otp-service').spec.endpoints[0].path = '/metrics'; }],
];

function find(docs, kind, name) {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`self-test: no ${kind} ${name} in the render`);
  return d;
}
function dep(r, name) {
  return find(r.prod, 'Deployment', name).spec.template.spec.containers[0];
}
function cm(r, svc) {
  const d = r.prod.find((x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith(`${svc}-config`));
  if (!d) throw new Error(`self-test: no ConfigMap for ${svc}`);
  return d;
}

function errorsOf(result) {
  return result.reports.flatMap((r) => r.errors.map((e) => `[${r.render}] ${e}`));
}

function selfTest(renders, ctx, schemas) {
  let failed = 0;
  for (const [what, expect, mutate] of MUTATIONS) {
    const r = clone(renders);
    mutate(r);
    const errors = errorsOf(runAll(r, ctx, schemas));
    const hit = errors.some((e) => expect.test(e));
    if (!hit) {
      failed++;
      console.log(`  self-test FAIL: ${what} was not rejected with ${expect}${errors.length ? ` (got: ${errors[0]})` : ' (no error at all)'}`);
    }
  }
  console.log(`self-test: ${MUTATIONS.length - failed}/${MUTATIONS.length} deliberately broken variants rejected`);
  return failed === 0;
}

async function main() {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const rejectIdx = args.indexOf('--reject');
  const rejectFile = rejectIdx >= 0 ? args[rejectIdx + 1] : null;
  const renders = {};
  for (const a of args) {
    const m = /^([\w-]+)=(.+)$/.exec(a);
    if (m) renders[m[1]] = loadRender(m[2]);
  }
  for (const needed of ['prod', 'monitoring']) if (!renders[needed]) throw new Error(`render ${needed} not given`);

  const ctx = loadContext();
  const schemas = await loadSchemas();

  if (rejectFile) {
    const extra = loadRender(rejectFile);
    const r = clone(renders);
    for (const d of extra) {
      d.metadata = d.metadata || {};
      const target = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].includes(d.kind) ? 'monitoring' : 'prod';
      const ns = (r[target].find((x) => x.metadata && x.metadata.namespace) || { metadata: {} }).metadata.namespace;
      if (!d.metadata.namespace && d.kind !== 'Namespace') d.metadata.namespace = ns;
      const i = r[target].findIndex((x) => x.kind === d.kind && x.metadata.name === d.metadata.name);
      if (i >= 0) r[target][i] = d;
      else r[target].push(d);
    }
    const errors = errorsOf(runAll(r, ctx, schemas));
    if (errors.length) {
      console.log(`rejected ${relative(process.cwd(), rejectFile)} (${errors.length} finding(s)):`);
      for (const e of errors.slice(0, 20)) console.log(`  ${e}`);
      return 0;
    }
    console.log(`NOT rejected: ${rejectFile} passes every check`);
    return 1;
  }

  let ok = true;
  if (flags.has('--assert')) {
    const { reports, objects } = runAll(renders, ctx, schemas);
    const assertions = reports.reduce((n, r) => n + r.assertions, 0);
    const errors = errorsOf({ reports });
    for (const [name, docs] of Object.entries(renders)) {
      const kinds = {};
      for (const d of docs) kinds[d.kind] = (kinds[d.kind] || 0) + 1;
      console.log(`render ${name}: ${docs.length} objects (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
    }
    console.log(`validated ${objects} objects (kubernetes-models + unknown-field check, Strimzi/CloudNativePG schemas); ${assertions} rule checks`);
    console.log(`metrics registered in the code: ${[...ctx.metrics.keys()].join(', ')}`);
    for (const s of SERVICES) {
      const vars = ctx.svc[s].contractOnly;
      if (vars.length) console.log(`note: ${vars.join(', ')} set for ${s} per the contract; its code does not read ${vars.length > 1 ? 'them' : 'it'} yet`);
    }
    for (const n of new Set(reports.flatMap((r) => r.notes))) console.log(`note: ${n}`);
    if (errors.length) {
      ok = false;
      console.log(`FAIL: ${errors.length} problem(s)`);
      for (const e of errors) console.log(`  ${e}`);
    } else {
      console.log('OK: every render valid, every rule holds');
    }
  }
  if (flags.has('--self-test')) ok = selfTest(renders, ctx, schemas) && ok;
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`validate: ${e.stack || e}`);
  process.exit(2);
});
