import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where Debian's ZooKeeper (package `zookeeper` 3.8, `libzookeeper-java`) and kazoo (`python3-kazoo`) are,
 * found the Debian way: the server's classpath from /usr/share/zookeeper/bin/zkEnv.sh (zookeeper.jar, whose
 * manifest names its dependencies), plus the SLF4J binding Debian ships. Debian's 3.8 has no logback: it
 * ships slf4j-log4j12 with log4j 1.2, and without a binding on the classpath the server logs nothing at all.
 */
export interface ZkInstall {
  java: string;
  classpath: string;
  /** How the servers' logging is configured: log4j 1.2 properties, or a logback XML where Debian ships logback. */
  logging: 'log4j' | 'logback';
  /** A python with kazoo importable (Debian's /usr/bin/python3; a pyenv `python3` on PATH usually has none). */
  python: string;
}

const JAVA_DIR = '/usr/share/java';
const ZK_ENV = '/usr/share/zookeeper/bin/zkEnv.sh';

function works(program: string, args: string[]): boolean {
  const r = spawnSync(program, args, { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

function zookeeperJars(): string[] {
  let fromEnv: string[] = [];
  if (fs.existsSync(ZK_ENV)) {
    const m = /^CLASSPATH="?([^"\n]*)"?/m.exec(fs.readFileSync(ZK_ENV, 'utf8'));
    // The conf dir on it would only add /etc/zookeeper/conf/log4j.properties, which we replace.
    fromEnv = (m?.[1] ?? '').split(':').filter((p) => p.endsWith('.jar'));
  }
  const jars = fromEnv.length > 0 ? fromEnv : [path.join(JAVA_DIR, 'zookeeper.jar')];
  return jars.filter((j) => fs.existsSync(j));
}

function loggingBinding(): { logging: ZkInstall['logging']; jars: string[] } | undefined {
  const jar = (name: string) => path.join(JAVA_DIR, name);
  const log4j = [jar('slf4j-log4j12.jar'), jar('log4j-1.2.jar')];
  if (log4j.every((j) => fs.existsSync(j))) return { logging: 'log4j', jars: log4j };
  const logback = [jar('logback-classic.jar'), jar('logback-core.jar')];
  if (logback.every((j) => fs.existsSync(j))) return { logging: 'logback', jars: logback };
  return undefined;
}

/** The install, or what is missing (each a sentence a skip message can show). */
export function findZkInstall(): { install?: ZkInstall; missing: string[] } {
  const missing: string[] = [];
  const java = ['/usr/bin/java', 'java'].find((j) => works(j, ['-version']));
  if (!java) missing.push('no java (Debian package default-jre-headless, pulled in by zookeeper)');
  const zkJars = zookeeperJars();
  if (zkJars.length === 0) missing.push(`no ZooKeeper server jar (${ZK_ENV} / ${JAVA_DIR}/zookeeper.jar; Debian package zookeeper)`);
  const binding = loggingBinding();
  if (!binding) missing.push(`no SLF4J binding in ${JAVA_DIR} (slf4j-log4j12 + log4j 1.2, or logback)`);
  const python = ['/usr/bin/python3', 'python3'].find((p) => works(p, ['-c', 'import kazoo.client']));
  if (!python) missing.push('no python3 with kazoo (Debian package python3-kazoo)');
  if (!java || zkJars.length === 0 || !binding || !python) return { missing };
  return { install: { java, classpath: [...zkJars, ...binding.jars].join(':'), logging: binding.logging, python }, missing };
}
