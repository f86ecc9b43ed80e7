// The world page's language, picked once when the page loads: every module of the page reads it here.
import { localisePage } from './page.js';
import { WORLD_MESSAGES } from './world.js';

export const { locale, t, format } = localisePage(WORLD_MESSAGES);
