// Moderation's free text (appeals, answers, notes, flag notes, blocked phrases) loses the characters
// XML forbids and the bidi controls that could reorder what a moderator reads: cleaned, not refused.
import { describe, expect, it } from 'vitest';
import { checkAnswer, checkAppealMessage, checkBan } from '../../src/features/moderation/account-rules.ts';
import { normalisePhrase } from '../../src/features/moderation/blocklist.ts';
import { checkCommentAction, checkNote, cleanText } from '../../src/features/moderation/rules.ts';

const HOSTILE = [
  ['\u0000', 'NUL'],
  ['\u0008', 'backspace'],
  ['\u001F', 'unit separator'],
  ['\uFFFE', 'U+FFFE'],
  ['\u202A', 'left-to-right embedding'],
  ['\u202B', 'right-to-left embedding'],
  ['\u202C', 'pop directional formatting'],
  ['\u202D', 'left-to-right override'],
  ['\u202E', 'right-to-left override'],
  ['\u2066', 'left-to-right isolate'],
  ['\u2067', 'right-to-left isolate'],
  ['\u2068', 'first strong isolate'],
  ['\u2069', 'pop directional isolate'],
] as const;

describe('cleanText', () => {
  it.each(HOSTILE)('drops %j (%s)', (char) => {
    expect(cleanText(`Please look ${char}again${char}`)).toBe('Please look again');
  });

  it('makes a lone surrogate U+FFFD rather than keeping it', () => {
    expect(cleanText('a\uD800b')).toBe('a\uFFFDb');
  });

  it('keeps what writing needs: newlines, tabs, right-to-left letters and marks, emoji', () => {
    const text = 'Line one\n\tLine two\r\n\u05E9\u05DC\u05D5\u05DD\u200F and \u0645\u0631\u062D\u0628\u0627 👩\u200D💻';
    expect(cleanText(text)).toBe(text);
  });

  it('trims what is left', () => {
    expect(cleanText('\u202E  note \u0000')).toBe('note');
  });
});

describe('every free-text field is cleaned', () => {
  const message = 'I did not write spam, \u202Eplease look\u0000 again.';
  const clean = 'I did not write spam, please look again.';

  it('an appeal', () => {
    expect(checkAppealMessage(message)).toEqual({ ok: true, message: clean });
  });

  it('an answer to an appeal', () => {
    expect(checkAnswer(message)).toEqual({ ok: true, answer: clean });
  });

  it('a note on a hide, a ban or a closed discussion, and a flag note', () => {
    expect(checkNote(message)).toEqual({ ok: true, note: clean });
    expect(checkCommentAction({ ids: [1], action: 'hide', reason: 'abuse', note: message })).toMatchObject({ ok: true, note: clean });
    expect(checkBan({ note: message })).toMatchObject({ ok: true, note: clean });
  });

  it('a blocked phrase', () => {
    expect(normalisePhrase('buy\u202E now\u0000')).toEqual({ ok: true, phrase: 'buy now' });
  });

  it('judges the length of what is left: controls alone are no appeal, no answer, no note', () => {
    expect(checkAppealMessage(`short${'\u202E'.repeat(20)}`)).toMatchObject({ ok: false, field: 'message' });
    expect(checkAnswer('\u0000\u202E\u2066')).toMatchObject({ ok: false, field: 'answer' });
    expect(checkNote('\u202E\u0000')).toEqual({ ok: true, note: null });
    expect(normalisePhrase('\u202E')).toMatchObject({ ok: false, field: 'phrase' });
  });
});
