import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { globRegExp, workspaceContainsGlobs } from '../../src/client/activationGlobs';
import { REPO } from '../helpers';

// What makes VS Code start the extension on a folder: the `workspaceContains:` globs of package.json,
// evaluated by VS Code's search and, when that is cut off, by the extension's own walk through
// globRegExp. Every log name the Cluster Log language claims must start it — at any depth, in a node
// folder named any way — and a source tree must not.
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { languages: { id: string; filenamePatterns?: string[] }[] };
};
const globs = workspaceContainsGlobs(manifest.activationEvents).map(globRegExp);
const activates = (rel: string) => globs.some((g) => g.test(rel));
const languagePatterns = manifest.contributes.languages.find((l) => l.id === 'quorum-log')?.filenamePatterns ?? [];

/** One real name for each kind of file a bundle holds (glog's two naming schemes, its links, ZooKeeper's logs). */
const BUNDLE_NAMES = [
  'zbs-metad.log.20230314-031904.42461',
  'zbs-metad.node241.root.log.INFO.20230314-031904.42461',
  'zbs-metad.node241.root.log.WARNING.20230314-031904.42461',
  'zbs-metad.node241.root.log.ERROR.20230314-031904.42461',
  'zbs-metad.node241.root.log.FATAL.20230314-031904.42461',
  'zbs-metad.INFO',
  'zbs-metad.WARNING',
  'zbs-metad.ERROR',
  'zbs-metad.FATAL',
  'zookeeper.log',
  'zookeeper.log.1',
  'zookeeper.out',
  'zookeeper.out.2',
  'zookeeper-zk-server-node241.out',
  'zookeeper-root-server-node241.log.2023-03-14',
  'hadoop-hdfs-zkfc-node241.log',
  'test_run.log',
  'zbs-metad.log.20230314-031904.42461.gz',
  'zbs-ntpd.log.gz',
];

test('every file name pattern of the Cluster Log language has a sample name here', () => {
  for (const p of languagePatterns)
    assert.ok(
      BUNDLE_NAMES.some((n) => globRegExp(p).test(n)),
      `no sample for ${p}`,
    );
});

test('a folder holding any of those files, at any depth, activates the extension', () => {
  for (const name of BUNDLE_NAMES) {
    for (const rel of [name, `node-241/logs/${name}`, `cluster-logs-2023/10_0_0_1/var/log/app/${name}`]) assert.ok(activates(rel), rel);
  }
  assert.ok(activates('172_20_131_241/zbs_logs/zbs-chunkd/chunk.trace'), 'anything in a zbs_logs folder');
  assert.ok(activates('cluster-logs.tar.gz') && activates('bundle.zip'), 'an archive in the opened folder');
});

test('a source tree does not activate it (ZooKeeper sources, an archive deep in a project)', () => {
  for (const rel of [
    'README.md',
    'src/extension.ts',
    'zookeeper-server/src/main/java/org/apache/zookeeper/server/ZooKeeperServer.java',
    'zookeeper-server/pom.xml',
    'docs/zookeeperAdmin.md',
    'vendor/dist/lib.tar.gz',
    'INFO',
  ])
    assert.ok(!activates(rel), rel);
});

test("globRegExp reads VS Code's glob syntax: ** folders, * and ? within a name, classes and alternatives", () => {
  assert.ok(globRegExp('**/*.log').test('a.log') && globRegExp('**/*.log').test('x/y/a.log'));
  assert.ok(!globRegExp('*.tar.gz').test('x/a.tar.gz') && globRegExp('*.tar.gz').test('a.tar.gz'));
  assert.ok(globRegExp('**/a/**').test('x/a/b/c') && !globRegExp('**/a/**').test('x/ab/c'));
  assert.ok(globRegExp('f.[0-9]?').test('f.1x') && !globRegExp('f.[0-9]?').test('f.x1'));
  assert.ok(globRegExp('*.{INFO,WARNING}').test('p.WARNING') && !globRegExp('*.{INFO,WARNING}').test('p.ERROR'));
  assert.ok(globRegExp('a.b').test('a.b') && !globRegExp('a.b').test('axb'), 'a dot is a dot');
});
