"""Amplify Gen 2 projects: ``appsync-emulator serve`` on a folder holding ``amplify/data/resource.ts``.

A Gen 2 project defines its data API in TypeScript (``a.schema({...})`` passed to
``defineData``), so only Node can read it. A small Node helper shipped in this package
(``node/extract.mjs``) loads the project's ``resource.ts`` with the project's own ``tsx`` and
calls the schema's ``transform()``, Amplify's own code; Python takes its JSON from there.

- ``project``: finding the project (the folder given, or one above the current folder);
- ``model``: the typed description of what the project declares (SDL, functions, handlers);
- ``reader``: running the helper (fast path or real ``@aws-amplify/backend``) and its errors;
- ``auth``: ``defineData({ authorizationModes })`` and ``defineAuth`` as ``AuthSettings``;
- ``merge``: the project as the lowest settings layer (the generated SDL in the data dir).
"""
