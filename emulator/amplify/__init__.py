"""Amplify Gen1 projects: ``appsync-emulator serve .`` in a project root.

A Gen1 project keeps each GraphQL API under ``amplify/backend/api/<name>/``: the schema
(``schema.graphql`` or a ``schema/`` folder), the auth modes (``cli-inputs.json``; projects made
before CLI v7 keep them in ``backend-config.json`` under ``api.<name>.output.authConfig``),
``transform.conf.json`` and ``custom-roles.json`` (IAM admin roles). The transformer version
and its feature flags are project-wide, in ``amplify/cli.json``.

- ``files``: the project's JSON files and the error naming them;
- ``project``: finding the project and the API, its schema, flags and warnings;
- ``auth``: the auth modes the API declares, as ``AuthSettings``;
- ``merge``: the project as the lowest settings layer, under the config file and the flags;
- ``stacks``, ``stack_resources``, ``cfn``: custom resolvers, data sources and tables of the API's
  ``stacks/*.json`` (CloudFormation intrinsics evaluated);
- ``resolver_files``: the API's ``resolvers/`` slot files and template overrides.
"""
