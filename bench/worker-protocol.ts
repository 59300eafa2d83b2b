/** What a benchmark's parent and its workers say to each other over the IPC channel. */
export interface WorkerRequest {
  type: 'call';
  id: number;
  op: string;
  args: unknown;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
