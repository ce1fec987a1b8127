import { readHead } from './readChunks';

/** The archive formats a bundle may arrive in. */
export type ArchiveKind = 'tar.gz' | 'tar' | 'zip';

const KNOWN_EXTENSION = /\.(tar\.gz|tgz|tar|zip)$/i;
/** Compressions of tar that are recognised by name but not unpacked: a clear refusal beats "binary file". */
const UNSUPPORTED_EXTENSION = /\.(tar\.(bz2|xz|zst|lz4|br)|tbz2?|txz|tzst)$/i;

/**
 * True when the 512 bytes are a tar header: the checksum (the bytes summed with the checksum field read as
 * spaces) matches the octal number stored in it. Covers ustar, GNU and old v7 headers alike.
 */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < 512 || block[0] === 0) return false;
  const field = block
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]{1,8}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum === parseInt(field, 8);
}

/**
 * What kind of archive a file is, by its content (never by its name): a zip's local header, a tar header,
 * or a gzip stream whose first 512 inflated bytes are a tar header (a gzipped log is not an archive).
 */
export async function archiveKind(absPath: string, root?: string): Promise<ArchiveKind | undefined> {
  const { head, gzip } = await readHead(absPath, 512, { root });
  if (!gzip && head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && head[3] === head[2] + 1)
    return 'zip';
  if (!isTarHeader(head)) return undefined;
  return gzip ? 'tar.gz' : 'tar';
}

/** Why a file that is not a known archive cannot be opened, when its name says it is one we do not unpack. */
export function unsupportedArchiveReason(name: string): string | undefined {
  if (UNSUPPORTED_EXTENSION.test(name))
    return `${name}: only .tar.gz, .tgz, .tar and .zip archives are unpacked; unpack this one first (tar -xf)`;
  return undefined;
}

/**
 * The folder an archive unpacks into: its name without the extension (`172_20_131_241.tar.gz` →
 * `172_20_131_241`), so a node archive becomes the node folder. A name with no known extension gets
 * `-unpacked`, so the folder never takes the archive's own name.
 */
export function archiveFolderName(fileName: string): string {
  const base = fileName.replace(KNOWN_EXTENSION, '');
  const name = base === fileName || base === '' ? `${fileName}-unpacked` : base;
  return name === '.' || name === '..' || name.startsWith('.') ? `_${name}` : name;
}
