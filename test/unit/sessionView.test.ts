import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { lifecycleMarkdown } from '../../src/client/workflowViews';
import type { NodeInfo } from '../../src/core/model';
import { nodeResolver } from '../../src/core/nodeAliases';
import { BUILTIN_ROLE_RULES } from '../../src/core/rules/roleRules';
import { formatIso } from '../../src/core/time';
import * as service from '../../src/service';
import type { FoundLine } from '../../src/shared/protocol';
import { writeVariedBundle } from '../fixtures/variedBundle';
import { tempDir } from '../helpers';

// The session lifecycle view says what `session` prints and the hover says: an expiry or closeSession
// logged by a deposed leader carries its verdict (it did not take effect, and why), one that took effect
// carries none.

const at = (line: number, text: string): FoundLine => ({
  location: { uri: `file:///b/172_20_131_241/zookeeper.log`, file: '172_20_131_241/zookeeper.log', line },
  node: '172_20_131_241',
  nodeLabel: '172.20.131.241',
  timeLabel: '2023-03-14T01:35:51.703000',
  text,
});

test('the session view names the verdict of an expiry that did not take effect', () => {
  const why = 'logged by a deposed leader — did not take effect: 172.20.131.242 already led (epoch 16 < epoch 17)';
  const md = lifecycleMarkdown({
    id: '0x1000adfaccc0001',
    kind: 'zookeeper',
    events: [
      {
        ...at(10, 'Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded'),
        what: 'expired by the leader (timeout 4000 ms)',
        effective: false,
        why,
      },
      {
        ...at(11, 'Submitting global closeSession request'),
        what: 'closeSession submitted',
        effective: true,
        why: 'logged by the leader of the current epoch (17)',
      },
    ],
  });
  const [expired, closed] = md.split('\n').filter((l) => l.startsWith('- '));
  assert.match(
    expired,
    /expired by the leader \(timeout 4000 ms\) — logged by a deposed leader — did not take effect: 172\.20\.131\.242 already led/,
  );
  assert.match(closed, /closeSession submitted`$/);
});

test('a myid several nodes claim names no creator: the view names every claimant instead', () => {
  const nodes: NodeInfo[] = [
    { name: 'node-241', addresses: [], myids: ['1'], kind: 'node' },
    { name: 'node-243', addresses: [], myids: ['1', '3'], kind: 'node' },
    { name: 'node-245', addresses: [], myids: ['2'], kind: 'node' },
  ];
  const r = nodeResolver(nodes);
  assert.equal(r.byMyid('1'), undefined, 'two nodes claim myid 1: no guess');
  assert.deepEqual(r.myidHolders('1'), ['node-241', 'node-243']);
  assert.equal(r.byMyid('2'), 'node-245');
  assert.equal(r.byMyid('3'), 'node-243');
  const md = lifecycleMarkdown({
    id: '0x1000adfaccc0001',
    kind: 'zookeeper',
    createdBy: { myid: 1, claimedBy: ['node-241', 'node-243'] },
    events: [],
  });
  assert.match(md, /Created by the server with myid 1 \(claimed by node-241, node-243: which one cannot be told\)/);
});

test('a session hover in a bundle whose nodes all claim myid 1 names them, not the first', async () => {
  const v = writeVariedBundle(path.join(tempDir('ql-myid-'), 'b'), { seed: 5, mb: 2 });
  const bundle = await service.openBundle(v.root, { roleRules: BUILTIN_ROLE_RULES, cacheDir: false });
  const claimants = bundle.queries.nodesOfMyid(1);
  assert.ok(claimants.length > 1, `the generator gives every node myid 1 (${claimants.length})`);
  const line = 'Expiring session 0x1000adfaccc0001, timeout of 4000ms exceeded';
  const h = service.hoverFor(line, line.indexOf('0x') + 3, { bundle, lineNumber: 1, label: formatIso, zone: '' });
  assert.match(h?.markdown ?? '', new RegExp(`myid 1\\*\\* — claimed by ${claimants.length} nodes \\(.*\\): which one cannot be told`));
  assert.doesNotMatch(h?.markdown ?? '', /myid 1\*\* →/);
});
