import * as vscode from 'vscode';
import { filtersSummary, type ViewFilters } from '../../core/clusterLog/viewFilters';
import { formatHuman, parseUserTime } from '../../core/time';
import { SOURCE_KINDS } from '../../core/workflows/mergeFilter';
import { uiText } from '../../core/inertText';
import type { ClusterLogView } from './clusterLogDocuments';

type FilterItem = vscode.QuickPickItem & { apply: () => Promise<ViewFilters | undefined> | ViewFilters | undefined };

const REMOVE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Remove this filter' };

/**
 * The filters of a view as a quick pick, lnav's way: each filter an item with a button that removes it, then
 * items that add one (include/exclude regex, level, nodes, sources, time range). Resolves to the new filters,
 * or undefined when the user left them as they were.
 */
export function pickFilters(v: ClusterLogView): Promise<ViewFilters | undefined> {
  const f = v.query.filters;
  const nodeLabel = (n: string) => v.nodes.get(n)?.label ?? n;
  const without = (change: Partial<ViewFilters>): ViewFilters => ({ ...f, ...change });
  const current: (FilterItem & { remove: () => ViewFilters })[] = [
    ...f.include.map((re, i) => ({
      label: `include /${uiText(re)}/`,
      remove: () => without({ include: f.include.filter((_, j) => j !== i) }),
    })),
    ...f.exclude.map((re, i) => ({
      label: `exclude /${uiText(re)}/`,
      remove: () => without({ exclude: f.exclude.filter((_, j) => j !== i) }),
    })),
    ...(f.level ? [{ label: `level ≥ ${f.level}`, remove: () => without({ level: undefined }) }] : []),
    ...(f.nodes.length ? [{ label: `nodes ${f.nodes.map(nodeLabel).join(', ')}`, remove: () => without({ nodes: [] }) }] : []),
    ...(f.sources.length ? [{ label: `sources ${f.sources.join(', ')}`, remove: () => without({ sources: [] }) }] : []),
    ...(f.from !== undefined ? [{ label: `from ${formatHuman(f.from)}`, remove: () => without({ from: undefined }) }] : []),
    ...(f.to !== undefined ? [{ label: `before ${formatHuman(f.to)}`, remove: () => without({ to: undefined }) }] : []),
  ].map((i) => ({ ...i, description: 'active', buttons: [REMOVE], apply: i.remove }));
  const adders: FilterItem[] = [
    { label: '$(add) Include lines matching a regex…', apply: () => regex('Include', (re) => without({ include: [...f.include, re] })) },
    { label: '$(remove) Exclude lines matching a regex…', apply: () => regex('Exclude', (re) => without({ exclude: [...f.exclude, re] })) },
    { label: '$(warning) Minimum level…', apply: () => level(f, without) },
    { label: '$(server) Nodes…', apply: () => nodes(v, without) },
    { label: '$(file) Sources…', apply: () => sources(f, without) },
    { label: '$(clock) Time range…', apply: () => timeRange(f, without) },
    {
      label: f.ignoreCase ? '$(case-sensitive) Match case' : '$(case-sensitive) Ignore case in the regexes',
      apply: () => without({ ignoreCase: !f.ignoreCase }),
    },
  ];
  if (current.length > 0)
    adders.push({ label: '$(clear-all) Remove every filter', apply: () => ({ include: [], exclude: [], nodes: [], sources: [] }) });
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<FilterItem>();
    qp.title = `Cluster Log filters${filtersSummary(f, nodeLabel) ? `: ${uiText(filtersSummary(f, nodeLabel))}` : ''}`;
    qp.placeholder = 'Add a filter, or remove one with its × button';
    qp.items = [...current, { label: '', kind: vscode.QuickPickItemKind.Separator, apply: () => undefined }, ...adders];
    let done = false;
    const finish = (r: ViewFilters | undefined) => {
      if (done) return;
      done = true;
      resolve(r);
      qp.dispose();
    };
    qp.onDidTriggerItemButton((e) => finish(current.find((c) => c === e.item)?.remove()));
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (!item) return;
      done = true;
      qp.hide();
      void Promise.resolve(item.apply()).then(resolve, () => resolve(undefined));
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

async function regex(what: 'Include' | 'Exclude', add: (re: string) => ViewFilters): Promise<ViewFilters | undefined> {
  const re = await vscode.window.showInputBox({
    title: `${what} lines matching`,
    prompt: 'A regex (JavaScript syntax), tested on each line of an entry',
  });
  return re ? add(re) : undefined;
}

async function level(f: ViewFilters, set: (c: Partial<ViewFilters>) => ViewFilters): Promise<ViewFilters | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Any level', level: undefined },
      { label: 'W — warnings and worse', level: 'W' as const },
      { label: 'E — errors and fatal', level: 'E' as const },
    ].map((i) => ({ ...i, picked: i.level === f.level })),
    { title: 'Minimum level' },
  );
  return pick ? set({ level: pick.level }) : undefined;
}

async function nodes(v: ClusterLogView, set: (c: Partial<ViewFilters>) => ViewFilters): Promise<ViewFilters | undefined> {
  const f = v.query.filters;
  const picks = await vscode.window.showQuickPick(
    [...v.nodes].map(([node, n]) => ({ label: uiText(n.label), description: uiText(node), node, picked: f.nodes.includes(node) })),
    { title: 'Nodes to show (none: every node)', canPickMany: true },
  );
  return picks ? set({ nodes: picks.map((p) => p.node) }) : undefined;
}

async function sources(f: ViewFilters, set: (c: Partial<ViewFilters>) => ViewFilters): Promise<ViewFilters | undefined> {
  const picks = await vscode.window.showQuickPick(
    SOURCE_KINDS.map((kind) => ({ label: kind, picked: f.sources.includes(kind) })),
    { title: 'Sources to show (none: every source)', canPickMany: true },
  );
  return picks ? set({ sources: picks.map((p) => p.label) }) : undefined;
}

async function timeRange(f: ViewFilters, set: (c: Partial<ViewFilters>) => ViewFilters): Promise<ViewFilters | undefined> {
  const ask = (title: string, value: number | undefined) =>
    vscode.window.showInputBox({
      title,
      prompt: 'A time as the logs write it (2023-03-14 01:35:51); empty: no bound',
      value: value === undefined ? '' : formatHuman(value),
      validateInput: (t) => (t.trim() === '' || parseUserTime(t) !== undefined ? undefined : 'not a time'),
    });
  const from = await ask('Lines from', f.from);
  if (from === undefined) return undefined;
  const to = await ask('Lines before', f.to);
  if (to === undefined) return undefined;
  return set({ from: from.trim() ? parseUserTime(from) : undefined, to: to.trim() ? parseUserTime(to) : undefined });
}
