import * as fs from 'node:fs';

/**
 * What the logs the harness produced say, read with plain regexes and independently of the product: the
 * test checks its scenario happened with these before it asks the product anything, and takes the session
 * ids to ask about from here.
 */
export interface LoggedLine {
  /** Local wall clock in ms since the epoch (the logs carry no zone; the harness writes the same clock). */
  ms: number;
  line: number;
  text: string;
}
export interface LeaderTerm extends LoggedLine {
  /** From the `Have quorum of supporters … zxid: 0x…` line that follows `LEADING`, when there is one. */
  epoch?: number;
}
export interface Expiry extends LoggedLine {
  session: string;
  timeoutMs: number;
}
export interface ZkLogFacts {
  leading: LeaderTerm[];
  expiring: Expiry[];
  /** `Shutdown called. For the reason Not sufficient followers synced` and the like: the leader let go. */
  leaderShutdown: LoggedLine[];
}

const STAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)[,.](\d{3})/;

export function stampMs(text: string): number | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number);
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

function lines(file: string): LoggedLine[] {
  const out: LoggedLine[] = [];
  if (!fs.existsSync(file)) return out;
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const ms = stampMs(text);
      if (ms !== undefined) out.push({ ms, line: i + 1, text });
    });
  return out;
}

export function zkLogFacts(file: string): ZkLogFacts {
  const facts: ZkLogFacts = { leading: [], expiring: [], leaderShutdown: [] };
  for (const l of lines(file)) {
    if (/\] - LEADING\s*$/.test(l.text)) facts.leading.push({ ...l });
    const quorum = /Have quorum of supporters, sids: .*zxid: 0x([0-9a-f]+)/.exec(l.text);
    const term = facts.leading[facts.leading.length - 1];
    if (quorum && term && term.epoch === undefined) term.epoch = Number(BigInt('0x' + quorum[1]) >> 32n);
    const exp = /Expiring session (0x[0-9a-f]+), timeout of (\d+) ?ms exceeded/.exec(l.text);
    if (exp) facts.expiring.push({ ...l, session: exp[1], timeoutMs: +exp[2] });
    if (/Leader@\d+\] - Shutdown called/.test(l.text)) facts.leaderShutdown.push(l);
  }
  return facts;
}

/** The session id clients.py logged for a client name (`client B: session 0x… (…), negotiated timeout …`). */
export function kazooSession(file: string, name: string): string | undefined {
  const re = new RegExp(`client ${name}: session (0x[0-9a-f]+) `);
  for (const l of lines(file)) {
    const m = re.exec(l.text);
    if (m) return m[1];
  }
  return undefined;
}

export interface KazooFacts {
  /** `Session created, session_id: <decimal>` (BLATHER; also on every reconnection to the same session), as hex. */
  created: (LoggedLine & { session: string })[];
  /** `Zookeeper session closed|lost, state: EXPIRED_SESSION|CLOSED|…`: the end of the session created last. */
  ended: (LoggedLine & { state: string; session?: string })[];
}

/** What the logger `kazoo.client.NAME` says of its sessions in kazoo.log (the logger, not the process, names a client). */
export function kazooFacts(file: string, name: string): KazooFacts {
  const facts: KazooFacts = { created: [], ended: [] };
  const mine = ` - kazoo.client.${name} - `;
  for (const l of lines(file)) {
    if (!l.text.includes(mine)) continue;
    const created = /Session created, session_id: (\d+)\b/.exec(l.text);
    if (created) facts.created.push({ ...l, session: '0x' + BigInt(created[1]).toString(16) });
    const ended = /Zookeeper session (?:closed|lost), state: (\w+)/.exec(l.text);
    if (ended) facts.ended.push({ ...l, state: ended[1], session: facts.created[facts.created.length - 1]?.session });
  }
  return facts;
}

/**
 * How many one-second samples the product's silence finder takes of a log (one at each whole second between
 * its first and last dated line; it trusts a log's usual spacing from 30 on), and the span in ms.
 */
export function secondSamples(file: string): { samples: number; firstMs?: number; lastMs?: number } {
  const all = lines(file);
  if (all.length === 0) return { samples: 0 };
  const firstMs = all[0].ms;
  const lastMs = all.reduce((m, l) => Math.max(m, l.ms), firstMs);
  return { samples: Math.floor(lastMs / 1000) - Math.floor(firstMs / 1000), firstMs, lastMs };
}
