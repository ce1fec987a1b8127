import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The fault runner's log, `<bundle>/runner/test-runner.log`, in the layout of the test runner of real
 * bundles (python logging `%(asctime)s|%(process)d:%(threadName)s|%(name)s|%(levelname)s|%(message)s`),
 * which the product reads as Python logging. Fault commands are written the way that runner writes them:
 * `Running: kill -STOP 12345 with conn: <Connection host=127.0.0.13>`.
 */
export class RunnerLog {
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  info(message: string): void {
    this.write('INFO', message);
  }

  warning(message: string): void {
    this.write('WARNING', message);
  }

  /** A command run on a host, as the fault rule reads it. */
  running(command: string, host: string): void {
    this.info(`Running: ${command} with conn: <Connection host=${host}>`);
  }

  private write(level: string, message: string): void {
    fs.appendFileSync(this.file, `${pythonTime(new Date())}|${process.pid}:MainThread|runner|${level}|${message}\n`);
  }
}

/** python logging's `asctime`: local wall clock, `2026-12-01 16:20:01,123` (the clock the JVMs and kazoo write). */
export function pythonTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
  );
}
