// The pages' words, from the module's own catalogs (templates/i18n/*.json): tests assert on what
// a person reads, in their language.
import fs from 'node:fs';
import path from 'node:path';
import { sourceDir } from './paths.mjs';

const catalogs = {};
for (const lang of ['en', 'ja']) {
  catalogs[lang] = JSON.parse(fs.readFileSync(path.join(sourceDir, 'templates', 'i18n', `${lang}.json`), 'utf8'));
}

export const languages = ['en', 'ja'];
export const localeOf = { en: 'en-US', ja: 'ja-JP' };

// The message `key` of `lang` with its {placeholders} filled from vars.
export function t(lang, key, vars = {}) {
  const text = catalogs[lang][key];
  if (text === undefined) throw new Error(`no message '${key}' in ${lang}.json`);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// A translator bound to one language.
export function translator(lang) { return (key, vars) => t(lang, key, vars); }
