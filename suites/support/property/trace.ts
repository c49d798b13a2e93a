/**
 * What one property run did, in order: the steps it took (notes) and the
 * HTTP exchanges they made. Against a stateful server a seed alone does not
 * reproduce a run (new users, new ids, new tokens), so the counterexample's
 * trace is what the report shows. Rendering goes through the redacting
 * transcript, so tokens and passwords never reach it.
 */
import { redact } from '../../../lib/redact.ts';
import { transcriptOf, type ExchangeRecord } from '../../../fixtures/http.ts';

export class Trace {
  /** Shared with the run's HttpClient, which appends to it. */
  readonly exchanges: ExchangeRecord[] = [];
  private readonly notes: Array<{ at: number; text: string }> = [];

  note(text: string): void {
    this.notes.push({ at: this.exchanges.length, text });
  }

  /** Notes and exchanges interleaved; bodies shortened to `maxBody` characters. */
  render(maxBody = 600): string {
    const out: string[] = [];
    let next = 0;
    const flushTo = (at: number) => {
      for (; next < at; next += 1) out.push(transcriptOf(this.exchanges[next], maxBody), '');
    };
    for (const note of this.notes) {
      flushTo(note.at);
      out.push(`## ${redact(note.text)}`);
    }
    flushTo(this.exchanges.length);
    return out.join('\n');
  }
}
