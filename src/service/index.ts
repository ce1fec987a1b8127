/**
 * The use cases, one typed function each, over a `ServiceContext` (the workspace's bundles and settings).
 * The CLI and the language server call only these; they translate arguments in and answers out.
 */
export { bundleHandle, fileUriOf, openBundle, type BundleHandle, type OpenOptions } from './bundleHandle';
export { editorTimeLabel, InputError, offsetsUs, rolesOf, type SearchControl, type ServiceContext } from './serviceContext';
export { indexCounts, summaries, summary } from './summary';
export { leaders, overlaps, resolveRoles } from './leaders';
export { decode } from './decode';
export { searchPatternProblem, trace, TRACE_DEFAULT_MAX, type TraceParams } from './trace';
export { clusterContext, type ContextParams } from './clusterContext';
export { count, type CountParams } from './count';
export { stats, statsRegexProblem } from './stats';
export { clockOffsets, resolveClockOffsets } from './clockOffsets';
export { sessionLifecycle } from './sessionLifecycle';
export { timelines } from './timeline';
export { fileWindow } from './fileWindow';
export { hoverFor, type HoverContext, type HoverResult } from './hover';
export type * from './results';
export { unpackBundleArchive } from './unpackArchive';
export { buildBundleSearch, loadSearchIndex, searchCoverage } from './searchIndex';
export { explainOverlaps } from './explain';
export { decodeCursor, encodeCursor, mergedLines, mergeFilterProblem, MERGE_DEFAULT_LIMIT, type MergeParams } from './merge';
