import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { exited, pollUntil, running, spawnTracked } from './processes';

/**
 * One clients.py process: kazoo sessions named A, B, … each with its host list. It reports each session id
 * on stdout; `close()` ends the sessions cleanly, `kill()` SIGKILLs the process so they expire for real,
 * `pause()`/`resume()` SIGSTOP and SIGCONT it (held long enough, kazoo itself sees its sessions expired).
 */
export class KazooClients {
  readonly sessions = new Map<string, string>();
  /** The session kazoo started by itself after a session of that name expired (the latest one). */
  readonly renewed = new Map<string, string>();
  readonly closed = new Set<string>();
  private ready = false;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(python: string, logFile: string, sessions: Record<string, string>, timeoutSeconds: number) {
    const script = path.join(__dirname, '..', '..', '..', 'test', 'zk', 'clients.py');
    const args = [script, '--log', logFile, '--timeout', String(timeoutSeconds), ...Object.entries(sessions).map(([n, h]) => `${n}=${h}`)];
    this.child = spawnTracked(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let said: { connected?: string; renewed?: string; session?: string; ready?: boolean; closed?: string };
      try {
        said = JSON.parse(line) as typeof said;
      } catch {
        return;
      }
      if (said.connected && said.session) this.sessions.set(said.connected, said.session);
      if (said.renewed && said.session) this.renewed.set(said.renewed, said.session);
      if (said.ready) this.ready = true;
      if (said.closed) this.closed.add(said.closed);
    });
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString('utf8')).slice(-4000)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Waits until every session is connected and has done its first writes. */
  async waitReady(timeoutMs: number): Promise<void> {
    const ok = await pollUntil(() => (this.ready ? true : running(this.child) ? undefined : false), timeoutMs);
    if (!ok) throw new Error(`kazoo clients did not connect within ${timeoutMs} ms:\n${this.stderr}`);
  }

  /** Ends every session cleanly (zk.stop(); zk.close()) and waits for the process to exit. */
  async close(timeoutMs: number): Promise<void> {
    if (!running(this.child)) return;
    this.child.stdin!.end('stop\n');
    if (!(await exited(this.child, timeoutMs))) {
      this.child.kill('SIGKILL');
      throw new Error(`kazoo clients did not close within ${timeoutMs} ms:\n${this.stderr}`);
    }
  }

  /** SIGSTOP: the whole process (kazoo's threads too) stands still, its sessions heard of no more. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  /** SIGCONT: kazoo carries on where it stood, and finds out what became of its sessions. */
  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** SIGKILL: the sessions are left to expire on the server. */
  async kill(): Promise<void> {
    if (!running(this.child)) return;
    this.child.kill('SIGKILL');
    await exited(this.child, 5000);
  }
}
