// A field resolver on Todo.summary: the parent Todo arrives as event.source.
interface Todo {
  title: string;
  done?: boolean | null;
}

interface FieldEvent {
  source: Todo;
}

export const handler = async (event: FieldEvent): Promise<string> => {
  const mark = event.source.done ? '✓' : '…';
  return `${mark} ${event.source.title}`;
};
