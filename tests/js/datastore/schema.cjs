'use strict';

/**
 * The DataStore model schema of examples/datastore (what `amplify codegen models` writes to
 * src/models/schema.js for its schema.graphql): Note and Task, public (API key) access.
 */
const field = (name, type, { isRequired = false, isArray = false, isReadOnly = false } = {}) => ({
  name,
  isArray,
  type,
  isRequired,
  attributes: [],
  ...(isArray ? { isArrayNullable: true } : {}),
  ...(isReadOnly ? { isReadOnly: true } : {}),
});

const timestamps = {
  createdAt: field('createdAt', 'AWSDateTime', { isReadOnly: true }),
  updatedAt: field('updatedAt', 'AWSDateTime', { isReadOnly: true }),
};

const publicModel = (name, pluralName, fields) => ({
  name,
  fields: { id: field('id', 'ID', { isRequired: true }), ...fields, ...timestamps },
  syncable: true,
  pluralName,
  attributes: [
    { type: 'model', properties: {} },
    { type: 'auth', properties: { rules: [{ allow: 'public', operations: ['create', 'update', 'delete', 'read'] }] } },
  ],
});

const schema = {
  models: {
    Note: publicModel('Note', 'Notes', {
      title: field('title', 'String', { isRequired: true }),
      content: field('content', 'String'),
      tags: field('tags', 'String', { isArray: true }),
    }),
    Task: publicModel('Task', 'Tasks', {
      name: field('name', 'String', { isRequired: true }),
      done: field('done', 'Boolean'),
    }),
  },
  enums: {},
  nonModels: {},
  codegenVersion: '3.4.4',
  version: 'examples-datastore-1',
};

module.exports = { schema };
