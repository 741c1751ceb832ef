import { formatByteCount, toVisibleSegments } from '../../../shared/bytes';
import { Segments } from '../../transcript/ByteView';
import type { ReplyView } from './replyView';

function tone(code: number | null): string {
  if (code === null) return 'is-bad';
  if (code < 400) return code >= 300 ? 'is-more' : 'is-ok';
  return code < 500 ? 'is-warn' : 'is-bad';
}

/**
 * One reply: its lines exactly as received (`250-…` then `250 …`, an empty last
 * line shown as such), the code's name, what it means here, and the tracker's
 * note when the command was out of order.
 */
export function ReplyBlock({ reply, label }: { reply: ReplyView; label?: string }) {
  return (
    <div className={`smtp-reply ${tone(reply.code)}`}>
      <div className="smtp-reply-head">
        <span className="smtp-code mono">{reply.code ?? '???'}</span>
        <strong>{reply.title}</strong>
        {label && <span className="smtp-reply-label">{label}</span>}
        {!reply.complete && <span className="smtp-flag">incomplete: the connection ended first</span>}
      </div>
      <pre className="smtp-reply-lines" aria-label="Reply lines">
        {reply.lines.map((line, index) => (
          // Lines have no identity of their own but their place, and never move.
          <span key={index} className="smtp-reply-line">
            {line.code ?? ''}
            <span className="smtp-separator">{line.separator === '-' ? '-' : line.separator === ' ' ? ' ' : ''}</span>
            {line.text === '' ? <em className="smtp-empty-text">(no text)</em> : line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      <details className="smtp-reply-bytes">
        <summary>Bytes received ({formatByteCount(reply.raw.length)})</summary>
        <pre className="smtp-bytes">
          <Segments segments={toVisibleSegments(reply.raw)} />
        </pre>
      </details>
      <p className="smtp-meaning">{reply.meaning}</p>
      {reply.challenge !== null && (
        <p className="smtp-meaning">
          The server’s question, decoded from base64: <code>{reply.challenge}</code>
        </p>
      )}
      {reply.enhanced && <p className="smtp-meaning">Status {reply.enhanced}</p>}
      {reply.note && (
        <p className="smtp-order-note" role="note">
          {reply.note}
        </p>
      )}
      {reply.capabilities.length > 0 && (
        <div className="smtp-capabilities">
          <h4>What this server offers (EHLO)</h4>
          <dl>
            {reply.capabilities.map((capability) => (
              <div key={capability.lineIndex}>
                <dt className="mono">{[capability.keyword, ...capability.params].join(' ')}</dt>
                <dd>{capability.explanation}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
      {reply.problems.length > 0 && (
        <ul className="smtp-problems">
          {reply.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
