import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

// The sandbox: every path a tool is given is relative to the workspace and must stay inside it,
// lexically and after following symlinks. Checks run again just before each open or rename,
// because a directory can be swapped for a symlink between the check and the use.

/** A refusal the person and Claude should read; the tool reports it as an error result. */
export class WorkspacePathError extends Error {
  override name = 'WorkspacePathError';
}

const MAX_PATH_BYTES = 1024;
const MAX_NAME_BYTES = 255;

/** The lexical checks: what the path says, before the filesystem is asked anything. */
export function checkRelativePath(path: string): string[] {
  if (typeof path !== 'string' || path.trim() === '')
    throw new WorkspacePathError('The path is empty.');
  if (path.includes('\0')) throw new WorkspacePathError('The path contains a NUL byte.');
  if ([...path].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw new WorkspacePathError('The path contains control characters.');
  }
  if (path.includes('\\')) {
    throw new WorkspacePathError('Use "/" to separate folders; "\\" is not allowed in paths.');
  }
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.startsWith('~')) {
    throw new WorkspacePathError(
      `"${path}" is not relative to the workspace; give a path like notes/a.md.`,
    );
  }
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw new WorkspacePathError(`The path is longer than ${MAX_PATH_BYTES} bytes.`);
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) throw new WorkspacePathError('The path names the workspace itself.');
  for (const segment of segments) {
    if (segment === '..') {
      throw new WorkspacePathError(`"${path}" climbs out of the workspace with "..".`);
    }
    if (Buffer.byteLength(segment) > MAX_NAME_BYTES) {
      throw new WorkspacePathError(
        `"${segment.slice(0, 40)}…" is longer than ${MAX_NAME_BYTES} bytes.`,
      );
    }
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The workspace's real location, created if missing. */
export async function workspaceRoot(workspaceDir: string): Promise<string> {
  await mkdir(workspaceDir, { recursive: true });
  return realpath(workspaceDir);
}

/** Fails unless `dir`, followed through every symlink, is inside the workspace. */
export async function assertRealDirInside(root: string, dir: string): Promise<void> {
  const real = await realpath(dir);
  if (!isInside(root, real)) {
    throw new WorkspacePathError('The path leads outside the workspace through a symbolic link.');
  }
}

/**
 * Resolves a path for reading: it must exist, and its real location must be inside the workspace.
 */
export async function resolveForReading(root: string, path: string): Promise<string> {
  const segments = checkRelativePath(path);
  const target = join(root, ...segments);
  if (!(await exists(target))) throw new WorkspacePathError(`${path} does not exist.`);
  const real = await realpath(target);
  if (!isInside(root, real)) {
    throw new WorkspacePathError(`${path} leads outside the workspace through a symbolic link.`);
  }
  return real;
}

/**
 * Resolves a path for creating a file: its folders are created inside the workspace (never
 * through a symlink that leaves it) and the file itself, if present, must not be a symlink.
 */
export async function resolveForWriting(root: string, path: string): Promise<string> {
  const segments = checkRelativePath(path);
  const target = join(root, ...segments);
  // The deepest folder that already exists must be inside; then create the rest below it.
  let existing = dirname(target);
  while (!(await exists(existing))) existing = dirname(existing);
  await assertRealDirInside(root, existing);
  await mkdir(dirname(target), { recursive: true });
  await assertRealDirInside(root, dirname(target));
  try {
    const stat = await lstat(target);
    if (stat.isSymbolicLink()) {
      throw new WorkspacePathError(
        `${path} is a symbolic link; Tollgate does not write through links.`,
      );
    }
    if (!stat.isFile()) throw new WorkspacePathError(`${path} exists and is not a file.`);
  } catch (error) {
    if (error instanceof WorkspacePathError) throw error;
  }
  return target;
}
