import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ensemble, TIMING, type ZkServer } from './ensemble';
import { KazooClients } from './kazooClients';
import { kazooFacts, secondSamples, zkLogFacts } from './logFacts';
import { killAll, pollUntil, sleep } from './processes';
import { RunnerLog } from './runnerLog';
import type { ZkInstall } from './zkInstall';

/**
 * The fault scenario on a real ensemble, and the log bundle it leaves:
 *
 *   elect → clients A, C (one process), B and D (a process each) connect (to the followers) and write →
 *   12 s of steady state → SIGSTOP the leader for 8 s (longer than syncLimit × tickTime = 1 s and the 4 s
 *   session timeout) → the followers elect a new leader, a new epoch → SIGCONT: the old leader expires
 *   sessions that did not really expire, then sees it lost its quorum and rejoins as a follower →
 *   SIGSTOP client D for 7 s and SIGKILL client B → the new leader really expires B's and D's sessions →
 *   SIGCONT client D: kazoo is told its session expired and logs `Zookeeper session closed, state:
 *   EXPIRED_SESSION` (then starts a new session by itself) → A, C and D close → servers stop.
 *
 * Clients connect to the followers only: a client whose requests wait in the paused leader's socket would
 * touch its session the moment the leader resumes, and the old leader would not expire it.
 *
 * Every server logs `srvr` every 200 ms. The old leader's log must hold at least `MIN_LOG_SECONDS` of them:
 * the product's silence finder trusts a log's usual spacing only from 30 one-second samples on, and the 8 s
 * hole must stay a clear minority of them (about a quarter) so that it cannot look like the usual spacing.
 */
export const PAUSE_MS = 8000;
/** Steady state between the clients' connecting and the leader's pause (see `MIN_LOG_SECONDS`). */
export const STEADY_MS = 12_000;
/** Client D's stop: longer than the 4 s session timeout plus the leader's 200 ms expiry tick, with margin. */
export const CLIENT_D_PAUSE_MS = 7000;
/** The span the old leader's log must reach: the silence finder's 30 one-second samples, and one to spare. */
export const MIN_LOG_SECONDS = 31;
export const CLIENT_NAMES = ['A', 'B', 'C', 'D'] as const;

export interface ServerRef {
  myid: number;
  node: string;
  address: string;
  epoch: number;
}
export interface ScenarioRecord {
  bundle: string;
  oldLeader: ServerRef & { pid: number };
  /** The leader the followers elected during the pause (undefined: they did not, in time). */
  newLeader?: ServerRef;
  sessions: Record<string, string>;
  /** Sessions kazoo started by itself after one expired (client D's second session). */
  renewedSessions: Record<string, string>;
  pausedAtMs: number;
  resumedAtMs: number;
  clientBKilledAtMs: number;
  clientDPausedAtMs: number;
  clientDResumedAtMs: number;
  /** The one-second samples the silence finder takes of the old leader's log. */
  oldLeaderLogSamples: number;
  /** Seconds from the start of the run to each step. */
  steps: Record<string, number>;
}

const BUNDLE_PARTS = new Set(['127_0_0_11', '127_0_0_12', '127_0_0_13', 'client', 'runner']);

/** Empties a bundle folder this harness made (and only such a folder: anything else there is an error). */
function prepareBundleDir(dir: string): void {
  if (fs.existsSync(dir)) {
    const strangers = fs.readdirSync(dir).filter((e) => !BUNDLE_PARTS.has(e));
    if (strangers.length > 0)
      throw new Error(`${dir} holds more than a bundle of this harness (${strangers.join(', ')}): not overwriting it`);
    for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
}

function ref(s: ZkServer, epoch: number): ServerRef {
  return { myid: s.myid, node: s.node, address: s.address, epoch };
}

/** Runs the scenario once into `bundle`; servers and clients are gone when it returns or throws. */
export async function runScenario(install: ZkInstall, bundle: string, say: (m: string) => void = () => {}): Promise<ScenarioRecord> {
  prepareBundleDir(bundle);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ql-zk-'));
  const t0 = Date.now();
  const steps: Record<string, number> = {};
  const step = (name: string) => {
    steps[name] = (Date.now() - t0) / 1000;
    say(`${steps[name].toFixed(1).padStart(5)} s  ${name}`);
  };
  const runner = new RunnerLog(path.join(bundle, 'runner', 'test-runner.log'));
  const kazooLog = path.join(bundle, 'client', 'kazoo.log');
  fs.mkdirSync(path.dirname(kazooLog), { recursive: true });
  const ensemble = new Ensemble(install, bundle, workDir);
  const clients: KazooClients[] = [];
  let ok = false;
  try {
    await ensemble.checkPortsFree();
    runner.info(`starting a ${ensemble.servers.length}-server ZooKeeper ensemble: ${ensemble.hosts(ensemble.servers)}`);
    ensemble.start();
    step('servers started');
    const elected = await ensemble.waitForLeader(45_000);
    if (!elected) throw new Error('no leader was elected within 45 s');
    const leader = elected.server;
    const oldLeader = { ...ref(leader, elected.epoch), pid: ensemble.pid(leader) };
    runner.info(`leader is myid=${leader.myid} (${leader.address}) pid ${oldLeader.pid}, epoch ${elected.epoch}`);
    step(`leader elected: myid=${leader.myid}, epoch ${elected.epoch}`);
    ensemble.startPoller(200);

    const [f1, f2] = ensemble.servers.filter((s) => s !== leader);
    const timeout = TIMING.sessionTimeoutMs / 1000;
    const ac = new KazooClients(install.python, kazooLog, { A: ensemble.hosts([f1, f2]), C: ensemble.hosts([f2, f1]) }, timeout);
    clients.push(ac);
    const b = new KazooClients(install.python, kazooLog, { B: ensemble.hosts([f1, f2]) }, timeout);
    clients.push(b);
    const d = new KazooClients(install.python, kazooLog, { D: ensemble.hosts([f2, f1]) }, timeout);
    clients.push(d);
    await Promise.all([ac, b, d].map((c) => c.waitReady(30_000)));
    const sessions = Object.fromEntries([...ac.sessions, ...b.sessions, ...d.sessions]);
    runner.info(
      `client sessions: ${CLIENT_NAMES.map((n) => `${n} ${sessions[n]}`).join(', ')} (client B is pid ${b.pid}, client D is pid ${d.pid})`,
    );
    step('clients connected');
    // Steady state (every server logs srvr every 200 ms, clients write every 500 ms): with what follows the
    // pause, the old leader's log reaches MIN_LOG_SECONDS, and the 8 s hole stays about a quarter of it.
    await sleep(STEADY_MS);
    const still = await ensemble.waitForLeader(5000);
    if (still?.server !== leader)
      throw new Error(`the leader changed before the pause (now ${still ? `myid=${still.server.myid}` : 'none'})`);

    runner.info(
      `pausing the leader for ${PAUSE_MS} ms (syncLimit x tickTime = ${TIMING.syncLimit * TIMING.tickTime} ms, session timeout ${TIMING.sessionTimeoutMs} ms)`,
    );
    runner.running(`kill -STOP ${oldLeader.pid}`, leader.address);
    process.kill(oldLeader.pid, 'SIGSTOP');
    const pausedAtMs = Date.now();
    step('leader stopped (SIGSTOP)');
    const next = await ensemble.waitForLeader(PAUSE_MS - 500, [f1, f2]);
    const newLeader = next && ref(next.server, next.epoch);
    if (newLeader) {
      runner.info(`new leader is myid=${newLeader.myid} (${newLeader.address}), epoch ${newLeader.epoch}`);
      step(`new leader elected: myid=${newLeader.myid}, epoch ${newLeader.epoch}`);
    } else runner.warning(`no new leader among the followers ${PAUSE_MS - 500} ms into the pause`);
    await sleep(pausedAtMs + PAUSE_MS - Date.now());

    runner.running(`kill -CONT ${oldLeader.pid}`, leader.address);
    process.kill(oldLeader.pid, 'SIGCONT');
    const resumedAtMs = Date.now();
    step('old leader continued (SIGCONT)');
    // The old leader expires the sessions it heard nothing of for 8 s, then sees it lost its quorum.
    await pollUntil(() => (zkLogFacts(leader.logFile).leaderShutdown.some((l) => l.ms >= resumedAtMs - 50) ? true : undefined), 5000);
    step('old leader let go of its leadership');
    // Settled once the old leader follows the new one (it rejoins within a second or so).
    const follows = await pollUntil(async () => ((await ensemble.srvr(leader, 500))?.mode === 'follower' ? true : undefined), 5000);
    step(follows ? 'old leader follows the new leader' : 'old leader did not rejoin as a follower within 5 s');

    runner.info(
      `pausing client D (pid ${d.pid}, session ${sessions.D}) for ${CLIENT_D_PAUSE_MS} ms (session timeout ${TIMING.sessionTimeoutMs} ms): ` +
        'the new leader must expire its session, and D see it expired when continued',
    );
    runner.running(`kill -STOP ${d.pid}`, '127.0.0.1');
    d.pause();
    const clientDPausedAtMs = Date.now();
    step('client D stopped (SIGSTOP)');
    runner.info(`killing client B (pid ${b.pid}, session ${sessions.B}) with SIGKILL: its session must expire on the new leader`);
    await b.kill();
    const clientBKilledAtMs = Date.now();
    step('client B killed (SIGKILL)');
    const newLog = newLeader && ensemble.server(newLeader.myid).logFile;
    const expiredOnNew = (id: string, sinceMs: number) =>
      newLog ? zkLogFacts(newLog).expiring.some((e) => e.session === id && e.ms >= sinceMs - 50) : false;
    const expiredB = () => expiredOnNew(sessions.B, clientBKilledAtMs);
    const expiredD = () => expiredOnNew(sessions.D, clientDPausedAtMs);
    await pollUntil(() => (expiredB() && expiredD() ? true : undefined), clientDPausedAtMs + CLIENT_D_PAUSE_MS - Date.now());
    step(expiredD() ? "new leader expired client D's session" : "client D's session was not expired during its stop");
    const stepB = () => step(expiredB() ? "new leader expired client B's session" : "client B's session was not expired in time");
    if (expiredB()) stepB();
    await sleep(clientDPausedAtMs + CLIENT_D_PAUSE_MS - Date.now());

    runner.running(`kill -CONT ${d.pid}`, '127.0.0.1');
    d.resume();
    const clientDResumedAtMs = Date.now();
    step('client D continued (SIGCONT)');
    if (!expiredB()) {
      await pollUntil(() => (expiredB() ? true : undefined), clientBKilledAtMs + TIMING.sessionTimeoutMs + 6000 - Date.now());
      stepB();
    }
    const sawExpiry = () => kazooFacts(kazooLog, 'D').ended.some((e) => e.state === 'EXPIRED_SESSION' && e.ms >= clientDResumedAtMs - 50);
    await pollUntil(() => (sawExpiry() ? true : undefined), 5000);
    step(sawExpiry() ? 'client D logged its session expired' : 'client D logged no expiry within 5 s');
    await sleep(500);

    runner.info('closing clients A, C and D');
    await Promise.all([ac.close(15_000), d.close(15_000)]);
    step('clients A, C and D closed');
    // A second of the servers alone, and in any case the old leader's log long enough for the silence finder.
    const first = secondSamples(leader.logFile).firstMs ?? Date.now();
    await sleep(Math.max(1000, first + MIN_LOG_SECONDS * 1000 + 100 - Date.now()));
    runner.info('stopping the servers');
    await ensemble.stop();
    runner.info(`bundle complete: ${bundle}`);
    step('servers stopped');
    ok = true;
    return {
      bundle,
      oldLeader,
      newLeader,
      sessions,
      renewedSessions: Object.fromEntries(d.renewed),
      pausedAtMs,
      resumedAtMs,
      clientBKilledAtMs,
      clientDPausedAtMs,
      clientDResumedAtMs,
      oldLeaderLogSamples: secondSamples(leader.logFile).samples,
      steps,
    };
  } finally {
    await Promise.all(clients.map((c) => c.kill()));
    await ensemble.stop();
    killAll();
    if (ok) fs.rmSync(workDir, { recursive: true, force: true });
    else say(`servers' data and stdout kept in ${workDir}`);
  }
}

/** What the logs say did not happen of the scenario (empty when all of it did), read without the product. */
export function scenarioProblems(r: ScenarioRecord): string[] {
  const problems: string[] = [];
  const logOf = (node: string) => path.join(r.bundle, node, 'zookeeper', 'zookeeper.log');
  const old = zkLogFacts(logOf(r.oldLeader.node));
  const oldTerm = old.leading.filter((t) => t.ms <= r.pausedAtMs).pop();
  if (!oldTerm) problems.push(`the old leader ${r.oldLeader.node} logged no LEADING before the pause`);
  else if (oldTerm.epoch === undefined)
    problems.push(`the old leader's term (line ${oldTerm.line}) has no "Have quorum of supporters" epoch`);
  if (!r.newLeader) problems.push('no new leader was elected among the followers during the pause');
  else {
    const fresh = zkLogFacts(logOf(r.newLeader.node));
    const term = fresh.leading.find((t) => t.ms >= r.pausedAtMs - 50 && t.ms <= r.resumedAtMs + 50);
    if (!term) problems.push(`${r.newLeader.node} logged no LEADING during the pause`);
    else if (term.epoch === undefined || oldTerm?.epoch === undefined || term.epoch <= oldTerm.epoch)
      problems.push(`the new leader's epoch (${String(term.epoch)}) is not above the old leader's (${String(oldTerm?.epoch)})`);
    if (!fresh.expiring.some((e) => e.session === r.sessions.B && e.ms >= r.clientBKilledAtMs - 50))
      problems.push(`the new leader ${r.newLeader.node} did not log "Expiring session ${r.sessions.B}" (client B) after B was killed`);
    if (!fresh.expiring.some((e) => e.session === r.sessions.D && e.ms >= r.clientDPausedAtMs - 50 && e.ms <= r.clientDResumedAtMs + 50))
      problems.push(`the new leader ${r.newLeader.node} did not log "Expiring session ${r.sessions.D}" (client D) while D was stopped`);
  }
  // Client D's own word: kazoo.client.D ended the session it created last, D's, with EXPIRED_SESSION once continued.
  const d = kazooFacts(path.join(r.bundle, 'client', 'kazoo.log'), 'D');
  const early = d.ended.filter((e) => e.ms < r.clientDResumedAtMs - 50);
  if (early.length > 0)
    problems.push(`client D's session ended before D was continued (kazoo.log line ${early[0].line}: ${early[0].text})`);
  const sawIt = d.ended.find((e) => e.ms >= r.clientDResumedAtMs - 50);
  if (!sawIt || sawIt.state !== 'EXPIRED_SESSION')
    problems.push(
      `client D did not log "Zookeeper session closed, state: EXPIRED_SESSION" once continued ` +
        `(kazoo.client.D's session ends: ${d.ended.map((e) => `line ${e.line} ${e.state}`).join(', ') || 'none'})`,
    );
  else if (sawIt.session !== r.sessions.D)
    problems.push(
      `kazoo.client.D's last session before its EXPIRED_SESSION (line ${sawIt.line}) is ${String(sawIt.session)}, not D's ${r.sessions.D}`,
    );
  const samples = secondSamples(logOf(r.oldLeader.node)).samples;
  if (samples < 30) problems.push(`the old leader's log spans ${samples} whole seconds: the silence finder needs 30`);
  const afterResume = old.expiring.filter((e) => e.ms >= r.resumedAtMs - 50);
  if (afterResume.length === 0)
    problems.push(
      `the old leader ${r.oldLeader.node} logged no "Expiring session" after it resumed ` +
        `(it let go of leadership at ${old.leaderShutdown.map((l) => `line ${l.line}`).join(', ') || 'no line'})`,
    );
  return problems;
}

/**
 * Runs the scenario into `bundle` until the logs show it happened, twice at most (real timing varies);
 * throws "scenario did not happen: …" with what was missing each time.
 */
export async function makeBundle(install: ZkInstall, bundle: string, say: (m: string) => void = () => {}): Promise<ScenarioRecord> {
  const missed: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    say(`attempt ${attempt}: ${bundle}`);
    let problems: string[];
    let record: ScenarioRecord | undefined;
    try {
      record = await runScenario(install, bundle, say);
      problems = scenarioProblems(record);
    } catch (e) {
      problems = [`the ensemble misbehaved: ${e instanceof Error ? e.message : String(e)}`];
    }
    if (record && problems.length === 0) return record;
    missed.push(`attempt ${attempt}: ${problems.join('; ')}`);
    say(`scenario did not happen: ${problems.join('; ')}`);
  }
  throw new Error(`scenario did not happen: ${missed.join(' | ')}`);
}
