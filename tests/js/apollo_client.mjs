/**
 * Apollo Client 4 with the AppSync links (ESM builds), unmodified:
 * `node apollo_client.mjs <API_KEY|AMAZON_COGNITO_USER_POOLS|OPENID_CONNECT|AWS_LAMBDA> <endpoint>`.
 * AWS_IAM lives in apollo_client_iam.cjs: the links' ESM build cannot sign (`Sha256 is not a constructor`).
 */
import * as apollo from '@apollo/client';
import * as authLink from 'aws-appsync-auth-link';
import * as subscriptionLink from 'aws-appsync-subscription-link';

import common from './lib/common.cjs';
import scenario from './lib/apollo_scenario.cjs';

const MODES = ['API_KEY', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'];
const { mode, endpoint } = common.parseArgs(process.argv, MODES);

await scenario.runApolloScenario({ apollo, authLink, subscriptionLink }, 'apollo', mode, endpoint);
