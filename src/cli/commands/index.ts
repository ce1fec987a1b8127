import { contextCommand } from './contextCommand';
import { countCommand } from './countCommand';
import { decodeCommand } from './decodeCommand';
import { indexCommand } from './indexCommand';
import { leadersCommand } from './leadersCommand';
import { mergeCommand } from './mergeCommand';
import { offsetsCommand } from './offsetsCommand';
import type { CliCommand } from './output';
import { overlapsCommand } from './overlapsCommand';
import { sessionCommand } from './sessionCommand';
import { statsCommand } from './statsCommand';
import { traceCommand } from './traceCommand';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  indexCommand,
  leadersCommand,
  overlapsCommand,
  decodeCommand,
  traceCommand,
  contextCommand,
  mergeCommand,
  countCommand,
  statsCommand,
  offsetsCommand,
  sessionCommand,
];

export function commandNamed(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
