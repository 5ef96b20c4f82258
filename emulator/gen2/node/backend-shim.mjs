/**
 * A stand-in for `@aws-amplify/backend` that records definitions instead of building CDK
 * constructs. Each factory keeps the fields the real one keeps (`props`, and the caller's stack
 * as `callerStack` / `importStack`), so extract.mjs describes both the same way.
 */
export { a } from '@aws-amplify/data-schema';

class RecordedFactory {
  constructor(kind, props, callerStack) {
    this.kind = kind;
    this.props = props;
    this.callerStack = callerStack;
    this.importStack = callerStack;
  }

  /** Amplify tells factories from plain values by this method; the emulator never builds constructs. */
  getInstance() {
    throw new Error(`appsync-emulator's fast path records ${this.kind} definitions and builds no constructs`);
  }
}

export const defineData = (props) => new RecordedFactory('data', props, new Error().stack);
export const defineAuth = (props) => new RecordedFactory('auth', props, new Error().stack);
export const referenceAuth = (props) => new RecordedFactory('auth', { ...props, referenced: true }, new Error().stack);
export const defineStorage = (props) => new RecordedFactory('storage', props, new Error().stack);

export function defineFunction(propsOrProvider = {}, providerProps) {
  if (typeof propsOrProvider === 'function') {
    return new RecordedFactory('provided-function', providerProps ?? {}, new Error().stack);
  }
  return new RecordedFactory('function', propsOrProvider, new Error().stack);
}

export const secret = (secretName) => ({ secretName });

export const defineBackend = (constructFactories) => ({
  resources: {},
  stack: {},
  createStack: () => ({}),
  addOutput: () => {},
  constructFactories,
});
