// Tab completion for the terminal: which words may follow what is typed so far. The
// vocabulary is static (commands, kubectl verbs, resource kinds, flags); names of objects and
// files come from a `names` callback the lab supplies (files: the paths that complete the word
// in the shell's directory), so this module holds no cluster state.

const COMMANDS = [
  'kubectl', 'cat', 'ls', 'cd', 'pwd', 'echo', 'grep', 'head', 'tail', 'wc', 'sort', 'mkdir', 'rm', 'cp', 'mv',
  'touch', 'vi', 'vim', 'nano', 'clear', 'history', 'exit', 'ssh', 'sudo', 'curl', 'wget', 'nslookup', 'ping',
  'ip', 'ifconfig', 'route', 'iptables', 'iptables-save', 'docker', 'hostname', 'whoami', 'env', 'export', 'alias',
  'help',
];

const KUBECTL_VERBS = [
  'get', 'describe', 'create', 'apply', 'delete', 'edit', 'expose', 'run', 'exec', 'logs', 'scale', 'label',
  'annotate', 'rollout', 'set', 'explain', 'api-resources', 'version', 'cluster-info', 'config', 'top', 'port-forward',
];

const KINDS = [
  'pods', 'pod', 'po', 'services', 'service', 'svc', 'deployments', 'deployment', 'deploy', 'replicasets', 'rs',
  'daemonsets', 'ds', 'namespaces', 'namespace', 'ns', 'nodes', 'node', 'no', 'endpoints', 'ep', 'endpointslices',
  'configmaps', 'cm', 'secrets', 'serviceaccounts', 'sa', 'networkpolicies', 'netpol', 'events', 'ev', 'all',
];

const KUBECTL_FLAGS = [
  '--namespace', '--all-namespaces', '--output', '--selector', '--show-labels', '--watch', '--filename',
  '--dry-run=client', '--image', '--port', '--target-port', '--type', '--name', '--replicas', '--labels',
  '--restart=Never', '--rm', '--stdin', '--tty', '--help', '-n', '-A', '-o', '-l', '-f', '-it',
  '-o=wide', '-o=yaml', '-o=json', '-o=name',
];

/** Verbs after which the next word is a resource kind. */
const TAKES_KIND = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'explain', 'scale', 'expose']);

/**
 * The completions for the word under the cursor.
 * @param {string} before  the line up to the cursor
 * @param {(kind: string, word: string) => string[]} names  object names for a kind, or with
 *   'files' the paths that complete `word`
 * @returns {{word: string, candidates: string[]}}
 */
export function completions(before, names) {
  const words = before.split(/\s+/);
  const word = words[words.length - 1] ?? '';
  const previous = words.slice(0, -1).filter((w) => w !== '');
  const commandIndex = previous[0] === 'sudo' ? 1 : 0;
  const command = previous[commandIndex];
  let pool;
  if (previous.length === commandIndex) {
    pool = COMMANDS;
  } else if (command === 'kubectl') {
    const args = previous.slice(commandIndex + 1);
    const positional = args.filter((w) => !w.startsWith('-'));
    const last = args[args.length - 1];
    if (word.startsWith('-')) pool = KUBECTL_FLAGS;
    else if (last === '-f' || last === '--filename') pool = names('files', word);
    else if (last === '-n' || last === '--namespace') pool = names('namespaces');
    else if (last === '-o' || last === '--output') pool = ['wide', 'yaml', 'json', 'name'];
    else if (positional.length === 0) pool = KUBECTL_VERBS;
    else if (positional.length === 1 && TAKES_KIND.has(positional[0])) pool = KINDS;
    else if (positional.length === 2 && TAKES_KIND.has(positional[0])) pool = names(positional[1]);
    else if (positional[0] === 'exec' || positional[0] === 'logs') pool = names('pods');
    else pool = [];
  } else {
    pool = names('files', word);
  }
  const candidates = [...new Set(pool)].filter((c) => c.startsWith(word)).sort();
  return { word, candidates };
}

/** The longest prefix all candidates share. @param {string[]} candidates */
export function commonPrefix(candidates) {
  if (candidates.length === 0) return '';
  let prefix = candidates[0];
  for (const candidate of candidates) {
    while (!candidate.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
