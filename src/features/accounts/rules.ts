// The rules for what a reader may choose as a username, password and display name.
// Pure functions: each returns the cleaned value, or a refusal with a message a reader can act on,
// naming the form field the value belongs in.
import { refuse, type Outcome, type Refusal } from '../refusal.ts';
import { isCommonPassword } from './common-passwords.ts';
import { hasVisibleCharacter } from '../../lib/visible-text.ts';
import { nameSkeleton } from './name-skeleton.ts';
import type { Reader } from './reader.ts';

export type Checked<T> = Outcome<{ value: T }>;

const refused = (field: 'username' | 'password' | 'displayName') => (message: string) => refuse('invalid', message, { field });
const badUsername = refused('username');
const badPassword = refused('password');
const badDisplayName = refused('displayName');

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const DISPLAY_NAME_MAX = 50;

// Names that could pass for the site speaking, or for the placeholder of a deleted account.
// Compared by their look-alike skeletons (name-skeleton.ts), so "Ad-min", "mod_erator", "аdmin"
// (Cyrillic а), "ADM1N" and "ａｄｍｉｎ" are refused too, as usernames and as display names.
const RESERVED = new Set([
  'admin', 'administrator', 'root', 'system', 'sysadmin', 'moderator', 'mod', 'mods', 'staff', 'team',
  'support', 'help', 'security', 'privacy', 'official', 'owner', 'webmaster', 'postmaster', 'hostmaster',
  'abuse', 'noreply', 'deleted', 'deleteduser', 'anonymous', 'anon', 'unknown', 'nobody', 'everyone',
  'guest', 'user', 'username', 'null', 'undefined', 'me', 'you', 'account', 'accounts', 'signin', 'signup',
  'signout', 'login', 'logout', 'register', 'settings', 'profile', 'api', 'feed', 'rss', 'essays', 'essay',
  'conveniencebargain', 'theconveniencebargain',
]);
const RESERVED_SKELETONS = new Set([...RESERVED].map(nameSkeleton));

// Words that claim a role on the site: a display name may not hold one even among other words
// ("Site Admin", "Ada (moderator)"). Words only, so "Badminton" is fine.
const ROLE_WORDS = ['admin', 'administrator', 'sysadmin', 'moderator', 'mod', 'mods', 'staff', 'official', 'webmaster'];
const ROLE_SKELETONS = new Set(ROLE_WORDS.map(nameSkeleton));

/** Whether `name` looks like a name the site keeps for itself. */
export function isReservedName(name: string): boolean {
  return RESERVED_SKELETONS.has(nameSkeleton(name));
}

function claimsRole(name: string): boolean {
  return name
    .normalize('NFKC')
    .split(/[\p{P}\s]+/u)
    .some((word) => word !== '' && ROLE_SKELETONS.has(nameSkeleton(word)));
}

/** The form of a username that uniqueness and reservation are judged by. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function checkUsername(raw: string): Checked<string> {
  const username = raw.trim();
  if (username.length < USERNAME_MIN || username.length > USERNAME_MAX) {
    return badUsername(`A username is ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`);
  }
  if (!/^[\w-]+$/.test(username)) {
    return badUsername('A username may use only letters a–z, digits, “_” and “-”.');
  }
  if (isReservedName(username)) {
    return badUsername(`“${username}” is reserved: please choose another username.`);
  }
  return { ok: true, value: username };
}

export function checkPassword(password: string, username: string): Checked<string> {
  const length = [...password].length;
  if (length < PASSWORD_MIN) {
    return badPassword(`A password needs at least ${PASSWORD_MIN} characters; a few unrelated words make a good one.`);
  }
  if (length > PASSWORD_MAX) return badPassword(`A password may be at most ${PASSWORD_MAX} characters long.`);
  if (username && password.toLowerCase() === username.trim().toLowerCase()) {
    return badPassword('The password must not be the username.');
  }
  if (isCommonPassword(password)) {
    return badPassword('That password is one of the most common ones and easily guessed: please choose another.');
  }
  return { ok: true, value: password };
}

// Control characters (all C0 ones, which XML forbids but for tab and newlines, refused too),
// bidi overrides and isolates (which can reverse how text around a name reads), line or
// paragraph separators, and non-characters (U+FFFE and U+FFFF among them, which XML forbids:
// one in a name would break the comment feeds). Lone surrogates are checked apart.
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Noncharacter_Code_Point}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

// Format characters draw nothing but change what is around them (U+2062 invisible times, U+FFF9
// annotation anchors, tag characters U+E0000–U+E007F): none belongs in a name. The joiners U+200C
// and U+200D are the exception where they do their job, between two non-ASCII characters that draw
// (emoji sequences like 👩‍💻, Persian and Indic words); next to ASCII or a space they only hide.
const FORMAT = /\p{Cf}/u;
const JOINER = /[\u200C\u200D]/u;
const JOINABLE = /[^\p{Cf}\p{Z}\p{Cc}\p{ASCII}]/u;

function hasStrayFormatCharacter(name: string): boolean {
  const chars = [...name];
  return chars.some((char, i) => {
    if (!FORMAT.test(char)) return false;
    if (!JOINER.test(char)) return true;
    return !(JOINABLE.test(chars[i - 1] ?? '') && JOINABLE.test(chars[i + 1] ?? ''));
  });
}

// Marks stacked on one letter ("zalgo" text) spill over the lines around the name. Two are what
// real writing needs at most on a decomposed letter (Vietnamese "ệ" is e + dot below + circumflex);
// counted after NFD, so a precomposed letter counts its marks too.
const MARKS_PER_LETTER_MAX = 2;
const STACKED_MARKS = new RegExp(`\\p{M}{${MARKS_PER_LETTER_MAX + 1},}`, 'u');

/**
 * A display name is shown beside the reader's comments to everyone, and a new one reaches every
 * open page at once: a suspended reader may not change what others read, so not their name
 * either, as they may not post (they may still read, export and delete their data).
 */
export function whyNotRename(reader: Reader): Refusal | null {
  return reader.may.takePart ? null : refuse('banned', 'Your account is suspended: you can read, export and delete your data, but not change your display name.');
}

/**
 * An empty display name means "none": the username is shown instead. A display name must show
 * something (not only fillers, zero-width or combining characters) and must not look like a name
 * the site reserves or claim a role on it; whether it looks like another account's name is asked
 * of the database (db/accounts/users.ts), by the skeleton this module's rules compare.
 */
export function checkDisplayName(raw: string): Checked<string | null> {
  if (!raw.isWellFormed()) {
    return badDisplayName('A display name may not contain control characters, text-direction overrides or non-characters.');
  }
  const name = raw.normalize('NFC').trim();
  if (name === '') return { ok: true, value: null };
  if (FORBIDDEN_IN_NAME.test(name)) {
    return badDisplayName('A display name may not contain control characters, text-direction overrides or non-characters.');
  }
  if ([...name].length > DISPLAY_NAME_MAX) {
    return badDisplayName(`A display name is at most ${DISPLAY_NAME_MAX} characters long.`);
  }
  if (!hasVisibleCharacter(name)) {
    return badDisplayName('A display name needs at least one visible letter, digit or symbol.');
  }
  if (isReservedName(name) || claimsRole(name)) {
    return badDisplayName(`“${name}” looks like a name or role the site keeps for itself: please choose another display name.`);
  }
  if (hasStrayFormatCharacter(name)) {
    return badDisplayName('A display name may not contain invisible formatting characters (zero-width spaces, tag characters and the like).');
  }
  // Only the letters and digits, so "...", "_" or "🙂" alone is no name (and has no skeleton to compare).
  if (!hasVisibleCharacter(name.replace(/[^\p{L}\p{N}]/gu, ''))) {
    return badDisplayName('A display name needs at least one visible letter or digit.');
  }
  if (STACKED_MARKS.test(name.normalize('NFD'))) {
    return badDisplayName(`A display name may have at most ${MARKS_PER_LETTER_MAX} accents or other marks on one letter.`);
  }
  return { ok: true, value: name };
}
