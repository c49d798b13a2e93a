/**
 * The rows a property run makes, read through the profile. Every text a run
 * writes starts with the run's own marker, so a listing filtered by it shows
 * that run's rows and nobody else's (other tests, earlier runs). A row is
 * read through the resource's columns (OwnedRows) into the four things the
 * model tracks, so the model never knows a column's name.
 */
import type { OwnedRows, Row } from '../../../fixtures/api.ts';

/** A row as the model sees it: which row, the owner's id as the server stores it, its text, and whether it is shared. */
export interface SeenRow {
  id: unknown;
  ownerId: unknown;
  text: string;
  shared: boolean;
}

export function seenRow(resource: OwnedRows, row: Row): SeenRow {
  return { id: resource.id(row), ownerId: resource.owner(row), text: resource.text(row), shared: resource.shared(row) };
}

/** The query (with its `?`) that lists the run's rows, in id order. */
export function markedQuery(resource: OwnedRows, marker: string): string {
  return `?${resource.textColumn}=like.${encodeURIComponent(marker)}*&order=${resource.idColumn}`;
}

/** Two ids are the same whether the JSON gave them as numbers or as text; a missing id is nobody's. */
export function sameId(a: unknown, b: unknown): boolean {
  return a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b);
}

/** An id for messages. */
export const showId = (id: unknown) => (typeof id === 'string' ? id : JSON.stringify(id));
