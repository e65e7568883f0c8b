// A filter's choice among thousands (the tenants and VTEPs of a capture of thousands of each): a text
// box whose suggestions are the first matches, not a drop-down of every choice. The filter takes the
// text once it is a choice, or empty (any).
import { useEffect, useId, useMemo, useState } from 'react';

/** Suggestions listed at most (typing narrows them). */
const MAX_SUGGESTIONS = 200;

interface Props {
  /** The choice applied ("" for any). */
  value: string;
  choices: string[];
  placeholder: string;
  testId: string;
  onChoose(choice: string): void;
}

export function ChoiceInput({ value, choices, placeholder, testId, onChoose }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const listId = useId();
  const known = useMemo(() => new Set(choices), [choices]);
  const typed = text.trim();
  const suggestions = useMemo(() => {
    const lower = typed.toLowerCase();
    const out: string[] = [];
    for (const c of choices) {
      if (!c.toLowerCase().includes(lower)) continue;
      out.push(c);
      if (out.length === MAX_SUGGESTIONS) break;
    }
    return out;
  }, [choices, typed]);
  const valid = typed === '' || known.has(typed);
  return (
    <>
      <input
        className={`stats-tenant choice-input${valid ? '' : ' choice-invalid'}`}
        list={listId}
        value={text}
        placeholder={placeholder}
        title={valid ? `${choices.length.toLocaleString('en-US')} to choose from: type to narrow` : `not one of the ${choices.length.toLocaleString('en-US')} choices`}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const choice = e.target.value.trim();
          if (choice === '' || known.has(choice)) onChoose(choice);
        }}
      />
      <datalist id={listId}>
        {suggestions.map((c) => <option key={c} value={c} />)}
      </datalist>
    </>
  );
}
