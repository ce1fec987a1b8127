/** ZooKeeper C client return codes (zookeeper.h, ZOO_ERRORS), with what they mean in practice. */
export const ZK_RETCODES: Record<number, [name: string, meaning: string]> = {
  0: ['ZOK', 'Everything is OK'],
  [-1]: ['ZSYSTEMERROR', 'System and server-side error (range marker)'],
  [-2]: ['ZRUNTIMEINCONSISTENCY', 'A runtime inconsistency was found'],
  [-3]: ['ZDATAINCONSISTENCY', 'A data inconsistency was found'],
  [-4]: ['ZCONNECTIONLOSS', 'Connection to the server has been lost'],
  [-5]: ['ZMARSHALLINGERROR', 'Error while marshalling or unmarshalling data'],
  [-6]: ['ZUNIMPLEMENTED', 'Operation is unimplemented'],
  [-7]: ['ZOPERATIONTIMEOUT', 'Operation timeout (the client gave up waiting for the server)'],
  [-8]: ['ZBADARGUMENTS', 'Invalid arguments'],
  [-9]: ['ZINVALIDSTATE', 'Invalid zhandle state'],
  [-13]: ['ZNEWCONFIGNOQUORUM', 'No quorum of the new config is connected and up-to-date with the leader'],
  [-14]: ['ZRECONFIGINPROGRESS', 'Reconfiguration requested while another one is in progress'],
  [-15]: ['ZSSLCONNECTIONERROR', 'SSL connection error'],
  [-100]: ['ZAPIERROR', 'API error (range marker)'],
  [-101]: ['ZNONODE', 'Node does not exist'],
  [-102]: ['ZNOAUTH', 'Not authenticated'],
  [-103]: ['ZBADVERSION', 'Version conflict'],
  [-108]: ['ZNOCHILDRENFOREPHEMERALS', 'Ephemeral nodes may not have children'],
  [-110]: ['ZNODEEXISTS', 'The node already exists'],
  [-111]: ['ZNOTEMPTY', 'The node has children'],
  [-112]: ['ZSESSIONEXPIRED', 'The session has been expired by the server'],
  [-113]: ['ZINVALIDCALLBACK', 'Invalid callback specified'],
  [-114]: ['ZINVALIDACL', 'Invalid ACL specified'],
  [-115]: ['ZAUTHFAILED', 'Client authentication failed'],
  [-116]: ['ZCLOSING', 'ZooKeeper is closing'],
  [-117]: ['ZNOTHING', '(not error) no server responses to process'],
  [-118]: ['ZSESSIONMOVED', 'Session moved to another server, so operation is ignored'],
  [-119]: ['ZNOTREADONLY', 'State-changing request is passed to read-only server'],
  [-120]: ['ZEPHEMERALONLOCALSESSION', 'Attempt to create ephemeral node on a local session'],
  [-121]: ['ZNOWATCHER', "The watcher couldn't be found"],
  [-123]: ['ZRECONFIGDISABLED', 'Attempts to perform a reconfiguration operation when reconfiguration is disabled'],
  [-124]: [
    'ZSESSIONCLOSEDREQUIRESASLAUTH',
    'The session has been closed by the server because it requires client authentication the client did not do',
  ],
  [-127]: ['ZTHROTTLEDOP', 'Operation was throttled and not executed at all; retry'],
};

/** Linux errno values seen in ZooKeeper client and RPC errors. */
export const ERRNO: Record<number, [name: string, meaning: string]> = {
  1: ['EPERM', 'Operation not permitted'],
  2: ['ENOENT', 'No such file or directory'],
  4: ['EINTR', 'Interrupted system call'],
  5: ['EIO', 'Input/output error'],
  9: ['EBADF', 'Bad file descriptor'],
  11: ['EAGAIN', 'Resource temporarily unavailable'],
  12: ['ENOMEM', 'Cannot allocate memory'],
  13: ['EACCES', 'Permission denied'],
  17: ['EEXIST', 'File exists'],
  22: ['EINVAL', 'Invalid argument'],
  24: ['EMFILE', 'Too many open files'],
  28: ['ENOSPC', 'No space left on device'],
  32: ['EPIPE', 'Broken pipe'],
  98: ['EADDRINUSE', 'Address already in use'],
  99: ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  100: ['ENETDOWN', 'Network is down'],
  101: ['ENETUNREACH', 'Network is unreachable'],
  103: ['ECONNABORTED', 'Software caused connection abort'],
  104: ['ECONNRESET', 'Connection reset by peer'],
  105: ['ENOBUFS', 'No buffer space available'],
  107: ['ENOTCONN', 'Transport endpoint is not connected'],
  110: ['ETIMEDOUT', 'Connection timed out'],
  111: ['ECONNREFUSED', 'Connection refused'],
  112: ['EHOSTDOWN', 'Host is down'],
  113: ['EHOSTUNREACH', 'No route to host'],
  115: ['EINPROGRESS', 'Operation now in progress'],
  116: ['ESTALE', 'Stale file handle'],
  125: ['ECANCELED', 'Operation canceled'],
};

export function describeRetcode(code: number): { code: number; name: string; meaning: string } | undefined {
  const e = ZK_RETCODES[code];
  return e ? { code, name: e[0], meaning: e[1] } : undefined;
}

export function describeErrno(code: number): { code: number; name: string; meaning: string } | undefined {
  const e = ERRNO[code];
  return e ? { code, name: e[0], meaning: e[1] } : undefined;
}
