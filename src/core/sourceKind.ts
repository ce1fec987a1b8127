import type { FormatId } from './formats/types';
import type { SourceKind } from './model';

/**
 * The program that wrote a file and what kind of source that is, from its path and format.
 * `zbs_logs/zbs-metad/zbs-metad.log.20230314-235823.160199` → program `zbs-metad`, kind `meta`.
 */
export function classifyFile(relPath: string, format: FormatId): { program: string; source: SourceKind } {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const program = base.replace(/\.gz$/, '').split('.')[0] || base;
  const p = relPath.toLowerCase();
  const name = program.toLowerCase();
  let source: SourceKind;
  if (/metad/.test(name)) source = 'meta';
  else if (/chunkd/.test(name)) source = 'chunk';
  else if (/zkfc/.test(name)) source = 'zkfc';
  else if (/namenode/.test(name)) source = 'namenode';
  else if (/ntpd|chrony/.test(name)) source = 'ntp';
  else if (name.startsWith('zookeeper') || (format === 'zookeeper' && !/hadoop|hdfs/.test(p))) source = 'zookeeper';
  else if (/kazoo/.test(p)) source = 'kazoo';
  else if (format === 'python' && /test|runner|case/.test(p)) source = 'testRunner';
  else if (/hadoop|hdfs|yarn/.test(p)) source = 'hadoop';
  else if (format === 'glog') source = 'service';
  else source = 'other';
  return { program, source };
}
