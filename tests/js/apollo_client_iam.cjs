'use strict';
/**
 * Apollo Client 4 with the AppSync links (CommonJS builds), unmodified, signing with SigV4:
 * `node apollo_client_iam.cjs AWS_IAM <endpoint>` (keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
 * Also accepts the other auth types, so both builds can be compared.
 */
const apollo = require('@apollo/client');
const authLink = require('aws-appsync-auth-link');
const subscriptionLink = require('aws-appsync-subscription-link');

const common = require('./lib/common.cjs');
const { runApolloScenario } = require('./lib/apollo_scenario.cjs');

const MODES = ['AWS_IAM', 'API_KEY', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'];
const { mode, endpoint } = common.parseArgs(process.argv, MODES);

runApolloScenario({ apollo, authLink, subscriptionLink }, 'apollo-cjs', mode, endpoint);
