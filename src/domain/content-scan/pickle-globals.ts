import type { Verdict } from './verdict';

/**
 * Which globals a pickle may import. Sources (see docs/security.md): picklescan's `_safe_globals` /
 * `_unsafe_globals`, modelscan's `unsafe_globals`, fickling's `UNSAFE_IMPORTS`, `SAFE_BUILTINS` and
 * `UnsafeImportsML`, and PyTorch's `weights_only` allow-list. The dangerous side is their union; the
 * safe side is what real checkpoints need; everything else is suspicious.
 */
const SAFE: Readonly<Record<string, readonly string[]>> = {
  collections: ['OrderedDict', 'Counter'],
  builtins: ['set', 'frozenset', 'slice', 'range', 'complex', 'bytearray', 'bytes', 'dict', 'list', 'tuple', 'int', 'float', 'bool', 'str', 'object'],
  copyreg: ['_reconstructor', '__newobj__', '__newobj_ex__'],
  _codecs: ['encode'],
  torch: [
    'Size', 'device', 'Tensor', 'dtype', 'layout', 'memory_format', 'strided', 'sparse_coo', 'sparse_csr', 'per_tensor_affine', 'per_channel_affine',
    'float16', 'float32', 'float64', 'bfloat16', 'half', 'float', 'double', 'complex64', 'complex128', 'uint8', 'int8', 'int16', 'int32', 'int64', 'bool',
    'float8_e4m3fn', 'float8_e5m2', 'contiguous_format', 'channels_last', 'preserve_format',
  ],
  'torch._utils': [
    '_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter', '_rebuild_parameter_with_state', '_rebuild_qtensor',
    '_rebuild_sparse_tensor', '_rebuild_meta_tensor_no_storage', '_rebuild_nested_tensor', '_rebuild_device_tensor_from_numpy', '_rebuild_wrapper_subclass',
  ],
  'torch._tensor': ['_rebuild_from_type_v2'],
  'torch.nn.parameter': ['Parameter'],
  'torch.storage': ['UntypedStorage', 'TypedStorage'],
  'torch.serialization': ['_get_layout'],
  numpy: ['dtype', 'ndarray', 'float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool_'],
  'numpy.core.multiarray': ['_reconstruct', 'scalar'],
  'numpy._core.multiarray': ['_reconstruct', 'scalar'],
};
// torch.FloatStorage, torch.cuda.HalfStorage, …: typed storages are inert containers.
const SAFE_PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['torch', /^(Untyped|Byte|Char|Short|Int|Long|Half|Float|Double|BFloat16|Bool|ComplexFloat|ComplexDouble|QUInt8|QInt8|QInt32|QUInt4x2|QUInt2x4)Storage$/],
  ['torch.cuda', /^(Byte|Char|Short|Int|Long|Half|Float|Double|BFloat16|Bool)Storage$/],
  ['numpy.dtypes', /^[A-Za-z0-9]+DType$/],
];

// Any global from these modules, or their submodules, can run code, touch files or the network.
const DANGEROUS_MODULES = new Set([
  // picklescan and modelscan "*" entries
  'aiohttp', 'asyncio', 'bdb', 'commands', 'ctypes', 'httplib', 'nt', 'posix', 'os', 'requests', 'runpy', 'shutil', 'socket', 'ssl', 'subprocess',
  'sys', 'cProfile', 'distutils', 'pdb', 'pickle', '_pickle', 'pip', 'pty', 'profile', 'pydoc', 'test', 'timeit', 'uuid', 'venv', 'webbrowser',
  '_osx_support', '_aix_support', '_pyrepl', 'numpy.f2py', 'numpy.testing._private.utils', 'urllib',
  // fickling UNSAFE_IMPORTS
  '__builtin__', '__builtins__', 'multiprocessing', '_posixsubprocess', 'code', 'codeop', 'marshal', 'types', 'compile', 'exec', 'eval', 'doctest',
  '_interpreters', '_xxsubinterpreters', 'importlib', '_frozen_importlib', '_frozen_importlib_external', '_imp', 'imp', 'pkgutil', 'zipimport', 'gc',
  'site', 'unittest', 'inspect', '_operator', 'operator', 'functools', 'trace', 'http', 'urllib2', 'smtplib', 'imaplib', 'ftplib', 'poplib',
  'telnetlib', 'nntplib', '_ctypes', 'dill', 'cloudpickle', 'joblib', 'tempfile', 'filecmp', 'pexpect', 'pipes', 'ensurepip', 'idlelib', 'lib2to3',
  'socketserver', 'xmlrpc', 'signal', '_signal', 'threading', '_thread', 'atexit', 'sqlite3', '_sqlite3', 'fileinput', 'glob', 'platform',
  'linecache', 'difflib', 'compileall', 'py_compile', 'mmap', 'select', 'selectors', 'logging', 'syslog', 'tarfile', 'zipfile', 'shelve',
  // fickling UnsafeImportsML modules
  'torch.hub', 'torch._dynamo', 'torch._inductor', 'torch.jit', 'torch.compile', 'numpy.distutils',
  // ours: code that runs on reconstruction (fx GraphModule exec's its source), native or package loaders, import side effects
  'torch.fx', 'torch.package', 'torch.utils.cpp_extension', 'torch._C', 'torch.utils.bottleneck', 'torch.utils.collect_env',
  'numpy.ctypeslib', 'pandas.io', 'antigravity', 'this', '_io',
]);
const DANGEROUS_NAMES = new Set([
  'torch.load', 'torch.compile', 'torch.storage._load_from_bytes', 'torch.serialization.load', 'torch.utils._config_module.ConfigModule',
  'torch.utils._config_module.ConfigModule.load_config', 'torch.distributed.elastic.rendezvous.api.basichandlers',
  'torch.utils.data.datapipes.utils.decoder.basichandlers', 'torch._dynamo.guards.GuardBuilder.get', 'torch._inductor.codecache.compile_file',
  'torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression', 'torch.jit.unsupported_tensor_ops.execWrapper',
  'io.FileIO', 'io.open', 'codecs.open', 'numpy.load', 'numpy.fromfile', 'numpy.lib.npyio.load', 'pandas.read_pickle', 'copyreg.add_extension',
]);
// Builtins fickling calls safe that a checkpoint still has no reason to import: judged suspicious, not dangerous.
const LENIENT_BUILTINS = new Set([
  'len', 'abs', 'sum', 'min', 'max', 'round', 'pow', 'divmod', 'sorted', 'reversed', 'enumerate', 'zip', 'map', 'filter', 'iter', 'next', 'all',
  'any', 'hash', 'id', 'repr', 'ascii', 'bin', 'hex', 'oct', 'ord', 'chr', 'isinstance', 'issubclass', 'callable', 'format',
]);
// Python 2 names that Python 3's unpickler maps to modern ones (pickle's fix_imports / _compat_pickle).
const PY2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins', copy_reg: 'copyreg', cPickle: 'pickle', commands: 'subprocess', exceptions: 'builtins', urllib2: 'urllib.request',
  httplib: 'http.client', SocketServer: 'socketserver', thread: '_thread', cStringIO: 'io', StringIO: 'io', UserDict: 'collections',
  'multiprocessing.forking': 'multiprocessing.popen_fork',
};

export interface GlobalJudgement {
  readonly verdict: Verdict;
  readonly reason: string;
}

const prefixes = (dotted: string): string[] => dotted.split('.').map((_, index, parts) => parts.slice(0, index + 1).join('.'));

/** Judges one imported global as `safe`, `suspicious` or `dangerous`, with the rule that decided. */
export function judgeGlobal(rawModule: string, name: string): GlobalJudgement {
  const module = PY2_MODULES[rawModule] ?? rawModule;
  const full = `${module}.${name}`;
  const danger = dangerReason(module, name);
  if (danger !== undefined) return { verdict: 'dangerous', reason: danger };
  if (SAFE[module]?.includes(name) === true || SAFE_PATTERNS.some(([owner, pattern]) => owner === module && pattern.test(name))) {
    return { verdict: 'safe', reason: `${full} is on the allow-list of what checkpoints need` };
  }
  if (module === 'builtins' && !LENIENT_BUILTINS.has(name)) {
    return { verdict: 'dangerous', reason: `builtins.${name} is not a pure constructor; builtins beyond those can run code or reach attributes` };
  }
  return { verdict: 'suspicious', reason: `${full} is not on the allow-list; loading it runs code this registry cannot vouch for` };
}

function dangerReason(module: string, name: string): string | undefined {
  const full = `${module}.${name}`;
  if (name.split('.').some((part) => /^__.*__$/.test(part)) && !SAFE[module]?.includes(name)) {
    return `${full} reaches a dunder attribute, a way to climb to eval or __import__`;
  }
  const hitModule = prefixes(module).find((prefix) => DANGEROUS_MODULES.has(prefix));
  if (hitModule !== undefined) return `${full} comes from ${hitModule}, which can run commands or code, or touch files or the network`;
  // Pickle resolves dotted names attribute by attribute, so a component naming a dangerous module is reachable.
  const component = [...module.split('.'), ...name.split('.')].find((part) => DANGEROUS_MODULES.has(part) && part !== module);
  if (component !== undefined) return `${full} reaches ${component} through a dotted name`;
  const hitName = prefixes(full).find((prefix) => DANGEROUS_NAMES.has(prefix));
  if (hitName !== undefined) return `${full} can load another pickle, open files or compile code`;
  if (module.startsWith('_') && module !== '_codecs' && module !== '__future__' && module !== '__main__') {
    return `${full} comes from a private interpreter module, which no checkpoint imports`;
  }
  if (module === '_codecs' && name !== 'encode') return `${full} is a private codec function; only _codecs.encode is needed by pickles`;
  return undefined;
}
