import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { srvr, startPoller, type SrvrReply } from './fourLetterWord';
import { pollUntil, running, spawnTracked, terminate } from './processes';
import type { ZkInstall } from './zkInstall';

/**
 * A real 3-server ZooKeeper ensemble on loopback: one JVM per server, each on its own address
 * (127.0.0.11–13; Linux routes all of 127/8 to lo) with the client, quorum and election ports on it. Data
 * lives in a temporary work folder; each server's log goes where a log bundle keeps it,
 * `<bundle>/127_0_0_1N/zookeeper/zookeeper.log`, in ZooKeeper's standard layout.
 */
export const TIMING = { tickTime: 200, initLimit: 10, syncLimit: 5, sessionTimeoutMs: 4000 } as const;
export const CLIENT_PORT = 2181;
/** ZooKeeper's own log4j.properties layout (3.4+), the one real bundles hold. */
export const ZK_LAYOUT = '%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n';
const MYIDS = [1, 2, 3] as const;

export interface ZkServer {
  myid: number;
  address: string;
  /** The bundle's folder for this server: its address with `_` for `.`. */
  node: string;
  logFile: string;
  dir: string;
  child?: ChildProcess;
}

export class Ensemble {
  readonly servers: ZkServer[];
  private stopPoller?: () => void;

  constructor(
    private readonly install: ZkInstall,
    readonly bundleDir: string,
    readonly workDir: string,
  ) {
    this.servers = MYIDS.map((myid) => {
      const address = `127.0.0.1${myid}`;
      const node = address.replace(/\./g, '_');
      return {
        myid,
        address,
        node,
        logFile: path.join(bundleDir, node, 'zookeeper', 'zookeeper.log'),
        dir: path.join(workDir, `zk${myid}`),
      };
    });
  }

  server(myid: number): ZkServer {
    const s = this.servers.find((x) => x.myid === myid);
    if (!s) throw new Error(`no server myid=${myid}`);
    return s;
  }

  pid(s: ZkServer): number {
    if (!s.child?.pid) throw new Error(`server myid=${s.myid} is not running`);
    return s.child.pid;
  }

  /** `host:port,…` for kazoo, in the order given. */
  hosts(servers: ZkServer[]): string {
    return servers.map((s) => `${s.address}:${CLIENT_PORT}`).join(',');
  }

  /** Fails when another ensemble (an earlier run still alive, a concurrent one) holds the addresses. */
  async checkPortsFree(): Promise<void> {
    for (const s of this.servers) {
      const taken = await new Promise<boolean>((resolve) => {
        const probe = net.createServer();
        probe.once('error', () => resolve(true));
        probe.listen(CLIENT_PORT, s.address, () => probe.close(() => resolve(false)));
      });
      if (taken) throw new Error(`${s.address}:${CLIENT_PORT} is in use: is another ZooKeeper ensemble (an earlier run) still running?`);
    }
  }

  start(): void {
    for (const s of this.servers) {
      fs.mkdirSync(path.join(s.dir, 'data'), { recursive: true });
      fs.mkdirSync(path.dirname(s.logFile), { recursive: true });
      fs.writeFileSync(path.join(s.dir, 'data', 'myid'), `${s.myid}\n`);
      const cfg = path.join(s.dir, 'zoo.cfg');
      fs.writeFileSync(cfg, this.config(s));
      const loggingArg = this.writeLoggingConfig(s);
      const out = fs.openSync(path.join(s.dir, 'stdout.log'), 'a');
      s.child = spawnTracked(
        this.install.java,
        [
          '-Xmx256m',
          '-XX:+UseSerialGC',
          loggingArg,
          '-Dzookeeper.jmx.log4j.disable=true',
          '-cp',
          this.install.classpath,
          'org.apache.zookeeper.server.quorum.QuorumPeerMain',
          cfg,
        ],
        { stdio: ['ignore', out, out], cwd: s.dir },
      );
      fs.closeSync(out);
    }
  }

  private config(s: ZkServer): string {
    const lines = [
      `tickTime=${TIMING.tickTime}`,
      `initLimit=${TIMING.initLimit}`,
      `syncLimit=${TIMING.syncLimit}`,
      `dataDir=${path.join(s.dir, 'data')}`,
      `clientPort=${CLIENT_PORT}`,
      `clientPortAddress=${s.address}`,
      // The default bounds (2 and 20 ticks: 400–4000 ms) already allow 4000 ms; say so explicitly.
      `minSessionTimeout=${2 * TIMING.tickTime}`,
      `maxSessionTimeout=${5 * TIMING.sessionTimeoutMs}`,
      '4lw.commands.whitelist=*',
      'admin.enableServer=false',
      ...this.servers.map((p) => `server.${p.myid}=${p.address}:2888:3888`),
    ];
    return lines.join('\n') + '\n';
  }

  /** Writes the server's logging config; returns the JVM option that points at it. */
  private writeLoggingConfig(s: ZkServer): string {
    if (this.install.logging === 'logback') {
      const file = path.join(s.dir, 'logback.xml');
      const xml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      fs.writeFileSync(
        file,
        `<configuration>\n  <appender name="FILE" class="ch.qos.logback.core.FileAppender">\n` +
          `    <file>${xml(s.logFile)}</file>\n    <encoder><pattern>${xml(ZK_LAYOUT)}</pattern></encoder>\n  </appender>\n` +
          `  <root level="INFO"><appender-ref ref="FILE"/></root>\n</configuration>\n`,
      );
      return `-Dlogback.configurationFile=${file}`;
    }
    const file = path.join(s.dir, 'log4j.properties');
    fs.writeFileSync(
      file,
      [
        'log4j.rootLogger=INFO, FILE',
        'log4j.appender.FILE=org.apache.log4j.FileAppender',
        `log4j.appender.FILE.File=${s.logFile}`,
        'log4j.appender.FILE.ImmediateFlush=true',
        'log4j.appender.FILE.layout=org.apache.log4j.PatternLayout',
        `log4j.appender.FILE.layout.ConversionPattern=${ZK_LAYOUT}`,
      ].join('\n') + '\n',
    );
    return `-Dlog4j.configuration=file:${file}`;
  }

  srvr(s: ZkServer, timeoutMs = 1000): Promise<SrvrReply | undefined> {
    return srvr(s.address, CLIENT_PORT, timeoutMs);
  }

  /** The one server among `among` that says `Mode: leader` (with its epoch), polled until the deadline. */
  async waitForLeader(timeoutMs: number, among: ZkServer[] = this.servers): Promise<{ server: ZkServer; epoch: number } | undefined> {
    return pollUntil(async () => {
      this.checkAlive();
      const replies = await Promise.all(among.map((s) => this.srvr(s, 500)));
      const leaders = among.filter((_, i) => replies[i]?.mode === 'leader');
      const followers = replies.filter((r) => r?.mode === 'follower').length;
      // A leader is only serving once a quorum follows it.
      if (leaders.length !== 1 || followers + 1 < 2) return undefined;
      return { server: leaders[0], epoch: replies[among.indexOf(leaders[0])]!.epoch };
    }, timeoutMs);
  }

  /** Throws when a server's JVM has exited (a bad config, a port in use): its stdout says why. */
  checkAlive(): void {
    for (const s of this.servers) {
      if (s.child && !running(s.child)) {
        const out = fs.existsSync(path.join(s.dir, 'stdout.log'))
          ? fs.readFileSync(path.join(s.dir, 'stdout.log'), 'utf8').slice(-2000)
          : '';
        throw new Error(`ZooKeeper myid=${s.myid} exited (${String(s.child.exitCode ?? s.child.signalCode)}):\n${out}`);
      }
    }
  }

  /** Makes every server log a `Processing srvr command` line every `everyMs`. */
  startPoller(everyMs: number): void {
    this.stopPoller = startPoller(
      this.servers.map((s) => ({ host: s.address, port: CLIENT_PORT })),
      everyMs,
    );
  }

  /** Stops the poller and every server (SIGCONT, SIGTERM, SIGKILL after 3 s). */
  async stop(): Promise<void> {
    this.stopPoller?.();
    this.stopPoller = undefined;
    await Promise.all(this.servers.map((s) => (s.child ? terminate(s.child, 3000) : Promise.resolve())));
  }
}
