import { type ReactNode, useId } from 'react';
import type { ControlError } from './errors';

/** An error beside the control that caused it; announced, and linked to the control by id. */
export function ErrorText({ id, error }: { id?: string | undefined; error: ControlError | undefined }) {
  if (!error) return null;
  return (
    <p id={id} className="control-error" role="alert" data-code={error.code}>
      {error.message}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: ControlError | undefined;
  hint?: ReactNode;
  disabled?: boolean;
  /** Enter in the field does this (e.g. Connect from the Host or Port field). */
  onEnter?: (() => void) | undefined;
  inputMode?: 'text' | 'numeric' | 'decimal';
  className?: string;
  placeholder?: string;
  /** A button beside the input (e.g. "Choose folder…"), on the input's line. */
  action?: ReactNode;
}

/** A visible label that is also the field's accessible name, with its hint and error tied to it. */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.error ? errorId : undefined, props.hint ? hintId : undefined].filter(Boolean).join(' ');
  const input = (
    <input
      id={id}
      type="text"
      value={props.value}
      spellCheck={false}
      autoComplete="off"
      inputMode={props.inputMode}
      placeholder={props.placeholder}
      disabled={props.disabled}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={describedBy || undefined}
      onChange={(event) => props.onChange(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && props.onEnter) {
          event.preventDefault();
          props.onEnter();
        }
      }}
    />
  );
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.action ? (
        <div className="field-with-action">
          {input}
          {props.action}
        </div>
      ) : (
        input
      )}
      {props.hint && (
        <span id={hintId} className="field-hint">
          {props.hint}
        </span>
      )}
      <ErrorText id={errorId} error={props.error} />
    </div>
  );
}

interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  options: readonly V[];
  labels: Readonly<Record<V, string>>;
  onChange: (value: V) => void;
  disabled?: boolean;
  error?: ControlError | undefined;
  className?: string;
  /** Shown below the choice, e.g. what the chosen value means. */
  hint?: ReactNode;
}

export function SelectField<V extends string>(props: SelectFieldProps<V>) {
  const id = useId();
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={
          [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
        }
        onChange={(event) => props.onChange(event.target.value as V)}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {props.labels[option]}
          </option>
        ))}
      </select>
      {props.hint && (
        <span id={`${id}-hint`} className="field-hint">
          {props.hint}
        </span>
      )}
      <ErrorText id={`${id}-error`} error={props.error} />
    </div>
  );
}

export function CheckboxField(props: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}
