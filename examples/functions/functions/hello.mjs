// A custom query: the event is Amplify's {typeName, fieldName, arguments, identity, source, request, prev}.
export const handler = async (event) => {
  console.log(`hello called by ${event.identity ? 'a signed caller' : 'an API key'}`); // goes to the emulator's log
  return `Hello, ${event.arguments.name}!`;
};
