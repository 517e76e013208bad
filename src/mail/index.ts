/** STUB (replaced by the mail layer): one message holding every line at quote depth 0. */
import type { InputError, Message } from '../model';

export function readMailDocument(text: string, path: string): { messages: Message[]; errors: InputError[] } {
  const lines = text.split(/\r?\n/);
  return {
    messages: [
      { index: 0, headers: {}, subject: null, startLine: 1, endLine: lines.length, subjectLine: null, attachments: [], warnings: [], body: lines.map((t, i) => ({ docLine: i + 1, docColumn: 1, text: t, quoteDepth: 0 })) },
    ],
    errors: [],
  };
}
