import { z } from 'zod';
import { bytes, command } from '../contract/schema';

export const transportKinds = ['electron', 'browser', 'memory'] as const;
export type TransportKind = (typeof transportKinds)[number];

/** Text with no control characters (a dialog title; a path a user typed). */
const noControlCharacters = (text: string) => !/\p{Cc}/u.test(text);

/** A folder path as typed in a field, as far as a folder dialog may start from it. */
export const typedFolderPath = z
  .string()
  .max(4096, { message: 'the folder path is longer than 4096 characters' })
  .refine(noControlCharacters, { message: 'the folder path must not contain control characters' });

/**
 * The desktop app reloads a page whose renderer process ended abnormally, with
 * `?restarted=<reason>` on its URL so the new page can say so: the old page's
 * servers and connections were closed with it. The reasons are Electron's for
 * `render-process-gone`, except 'clean-exit', after which nothing is reloaded.
 */
export const pageRestartParam = 'restarted';
export const pageRestartReason = z.enum([
  'abnormal-exit',
  'killed',
  'crashed',
  'oom',
  'launch-failed',
  'integrity-failure',
  'memory-eviction',
]);
export type PageRestartReason = z.infer<typeof pageRestartReason>;

/** An exercise file larger than this is listed as skipped, never sent to the page. */
export const exerciseFileLimit = 1024 * 1024;
/** At most this many exercise files are listed. */
export const exerciseCountLimit = 200;

export const appCommands = {
  /** What runs on the Node side: shown in the status bar. */
  'app.info': command(
    z.object({}).strict(),
    z.object({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      arch: z.string(),
      node: z.string(),
      electron: z.string().nullable(),
      transport: z.enum(transportKinds),
    }),
  ),
  /** Sends bytes to the Node side and back: proves the byte path and measures the transport's round trip. */
  'app.ping': command(
    z.object({ data: bytes.refine((b) => b.byteLength <= 65536, 'at most 64 KiB') }).strict(),
    z.object({ data: bytes, receivedAt: z.number() }),
  ),
  /**
   * The desktop app's native folder dialog, for a folder field's "Choose folder…" button.
   * It opens at `defaultPath` (what the field holds) when that is a full path or ~/...;
   * `path` is null when the user cancels. Browser mode has no dialog: E_UNSUPPORTED.
   */
  'app.chooseFolder': command(
    z
      .object({
        /** The dialog's title: what the folder is for. */
        title: z
          .string()
          .trim()
          .min(1, { message: 'the title is empty: say what the folder is for' })
          .max(200, { message: 'the title is longer than 200 characters' })
          .refine(noControlCharacters, { message: 'the title must not contain control characters' }),
        /** The folder as typed in the field; absent or empty: the system's choice. */
        defaultPath: typedFolderPath.optional(),
      })
      .strict(),
    z.object({ path: z.string().min(1).nullable() }),
  ),
  /**
   * The exercises a lab ships: the `.conv` files of the folder named by the environment
   * variable PLAYGROUND_EXERCISES, or else the project's `exercises/` folder, with their
   * text (the page parses them for titles and descriptions). `folder` is null when there is none.
   */
  'app.exercises': command(
    z.object({}).strict(),
    z.object({
      folder: z.string().nullable(),
      files: z.array(z.object({ name: z.string().min(1).max(255), text: z.string().max(exerciseFileLimit) })),
      /** Files left out, with why (too large, unreadable). */
      skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    }),
  ),
  /**
   * Creates a folder (and its missing parents) for saving mail, after "does not exist":
   * `path` as typed, `~/...` or a full path; answers the full path created (or already there).
   */
  'app.createFolder': command(
    z
      .object({ path: typedFolderPath.refine((path) => path.trim() !== '', { message: 'the folder path is empty' }) })
      .strict(),
    z.object({ path: z.string().min(1) }),
  ),
};

export const appEvents = {
  /** Once a second from the Node side while a transport is open: proves the event path. */
  'clock.tick': z.object({ now: z.number(), seq: z.number().int().nonnegative() }),
  /** A frame the Node side could not answer (no usable request id). */
  'host.rejected': z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
};
