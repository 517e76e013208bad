/**
 * Content detection: is an untitled or .txt document a patch mail? The seeds
 * are pages saved from web archives (a subject line, a From:, then a diff),
 * so the test looks for a diff in the first part of the text plus a mail or
 * patch marker, never for a particular layout.
 */

const SAMPLE = 256 * 1024;

export function looksLikePatchMail(text: string): boolean {
  const s = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const diff = /^(?:> ?)*(?:diff --git |@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@|--- a\/\S)/m.test(s);
  const mail = /^(?:From \S+ |From: |Subject: |Date: |Message-I[Dd]: |(?:Re: ?)*\[[^\]]*PATCH)/m.test(s);
  const patchy = /\[[^\]]*PATCH[^\]]*\]|Signed-off-by: /.test(s);
  return diff && (mail || patchy);
}

/** Languages the extension checks; plaintext documents are switched to the mail language when detected. */
export const MAIL_LANGUAGE = 'mmlens-mail';
export const CHECKED_LANGUAGES: readonly string[] = ['diff', MAIL_LANGUAGE];
