/** STUB (replaced by the patch layer). */
import type { InputError, Message, Patch } from '../model';

export function findPatches(_message: Message, _path: string, _errors: InputError[]): Patch[] {
  return [];
}
