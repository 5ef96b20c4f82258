import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { noteDigest } from './functions/note-digest/resource';
import { wordCount } from './functions/word-count/resource';

defineBackend({ auth, data, wordCount, noteDigest });
