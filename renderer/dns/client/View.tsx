import { useMemo } from 'react';
import { dissectDns } from '../../../shared/dns/dissect';
import { queryClassChoices, queryTypeChoices } from '../../../shared/dns/types';
import { Countdown } from '../../net/Countdown';
import { CheckboxField, TextField } from '../../net/fields';
import { useStore } from '../../net/useStore';
import { SequenceSection } from '../../sequence/SequenceDiagram';
import type { DraftField } from './draft';
import { FieldTable, HexMap } from './HexMap';
import type { DnsClientModel } from './model';

const opcodeChoices = ['QUERY', 'IQUERY', 'STATUS', 'NOTIFY', 'UPDATE'];
const rcodeChoices = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export function Problem({ text }: { text: string | undefined }) {
  return text ? (
    <p className="control-error" role="alert">
      {text}
    </p>
  ) : null;
}

function err(message: string | undefined) {
  return message ? { code: 'E_BAD_INPUT', message } : undefined;
}

/** A text input with suggestions (a name from the list, or anything else, e.g. a number). */
function ChoiceField({
  id,
  label,
  value,
  choices,
  error,
  onChange,
  className,
}: {
  id: string;
  label: string;
  value: string;
  choices: readonly string[];
  error: string | undefined;
  onChange: (value: string) => void;
  className?: string;
}) {
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        list={`${id}-choices`}
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      <datalist id={`${id}-choices`}>
        {choices.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <Problem text={error} />
    </div>
  );
}

/** The query builder: every header field, the question, where to send it; its bytes as they change. */
export function DnsClientView({ model }: { model: DnsClientModel }) {
  const state = useStore(model);
  const { draft, built, waiting } = state;
  const query = useMemo(() => (built.bytes ? dissectDns(built.bytes) : undefined), [built]);
  const errors: Partial<Record<DraftField, string>> = built.errors;
  const flag = (key: keyof typeof draft.flags, label: string) => (
    <CheckboxField label={label} checked={draft.flags[key]} onChange={(v) => model.setFlag(key, v)} />
  );
  const canSend = built.bytes !== undefined && Object.keys(built.errors).length === 0 && !waiting;

  return (
    <section className="panel" aria-label="DNS query">
      <h2>DNS query</h2>
      <div className="field-row">
        <TextField
          label="Name"
          value={draft.name}
          onChange={(name) => model.edit({ name })}
          onEnter={() => void model.send()}
          error={err(errors.name)}
          className="field-grow"
          hint={built.ascii && built.unicode !== built.ascii ? `IDNA: ${built.unicode} → ${built.ascii}` : undefined}
        />
        <ChoiceField
          id="dns-type"
          label="Type"
          value={draft.type}
          choices={queryTypeChoices}
          error={errors.type}
          onChange={(type) => model.edit({ type })}
          className="field-port"
        />
        <ChoiceField
          id="dns-class"
          label="Class"
          value={draft.qclass}
          choices={queryClassChoices}
          error={errors.qclass}
          onChange={(qclass) => model.edit({ qclass })}
          className="field-port"
        />
      </div>
      <div className="field-row">
        <TextField
          label="Server"
          value={draft.server}
          onChange={(server) => model.editTarget({ server })}
          error={err(errors.server)}
          className="field-grow"
        />
        <TextField
          label="Port"
          value={draft.port}
          onChange={(port) => model.editTarget({ port })}
          error={err(errors.port)}
          className="field-port"
          inputMode="numeric"
        />
        <TextField
          label="Deadline (s)"
          value={draft.timeoutSeconds}
          onChange={(timeoutSeconds) => model.edit({ timeoutSeconds })}
          error={err(errors.timeout)}
          className="field-seconds"
        />
      </div>
      <div className="field-row">
        <TextField
          label="ID"
          value={draft.id}
          onChange={(id) => model.edit({ id })}
          error={err(errors.id)}
          className="field-port"
          inputMode="numeric"
        />
        <ChoiceField
          id="dns-opcode"
          label="Opcode"
          value={draft.opcode}
          choices={opcodeChoices}
          error={errors.opcode}
          onChange={(opcode) => model.edit({ opcode })}
          className="field-port"
        />
        <ChoiceField
          id="dns-rcode"
          label="RCODE"
          value={draft.rcode}
          choices={rcodeChoices}
          error={errors.rcode}
          onChange={(rcode) => model.edit({ rcode })}
          className="field-port"
        />
      </div>
      <div className="field-row dns-flags">
        {flag('rd', 'Recursion desired')}
        {flag('qr', 'QR (response)')}
        {flag('aa', 'AA')}
        {flag('tc', 'TC')}
        {flag('ra', 'RA')}
        {flag('z', 'Z')}
        {flag('ad', 'AD')}
        {flag('cd', 'CD')}
        <CheckboxField label="EDNS (OPT, 1232 bytes)" checked={draft.edns} onChange={(edns) => model.edit({ edns })} />
        <CheckboxField
          label="Over TCP"
          checked={draft.transport === 'tcp'}
          onChange={(tcp) => model.edit({ transport: tcp ? 'tcp' : 'udp' })}
        />
        <CheckboxField
          label="Retry over TCP when TC=1"
          checked={draft.retryTcp}
          onChange={(retryTcp) => model.edit({ retryTcp })}
        />
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void model.send()} disabled={!canSend}>
          Send
        </button>
        <button type="button" onClick={() => model.newId()} disabled={waiting !== undefined}>
          New ID
        </button>
      </div>
      {waiting && <Countdown label="Waiting for the reply" wait={waiting} onCancel={() => model.cancel()} />}
      <Problem text={state.error} />
      {query && built.bytes && (
        <details open>
          <summary>The query&apos;s {built.bytes.length} bytes</summary>
          <HexMap
            label="Query bytes"
            bytes={built.bytes}
            fields={query.fields}
            pointers={query.pointers}
            selected={state.selectedQuery}
            onSelect={(id) => model.selectQueryField(id)}
          />
          <FieldTable
            label="Query fields"
            fields={query.fields}
            selected={state.selectedQuery}
            onSelect={(id) => model.selectQueryField(id)}
          />
        </details>
      )}
      <SequenceSection model={model.exchanges} />
    </section>
  );
}
