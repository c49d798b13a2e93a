/** Headings for the registry's categories, shared by the HTML report and the generated SPEC.md. */
const TITLES: Record<string, string> = {
  cookie: 'Session cookie attributes',
  token: 'Session token',
  lifecycle: 'Session lifecycle',
  expiry: 'Expiry',
  refresh: 'Refresh',
  isolation: 'Isolation between users',
  database: 'Database',
  browser: 'Browser behaviour',
  robustness: 'Robustness',
};

export function categoryTitle(category: string): string {
  return TITLES[category] ?? category;
}

/** Categories in the order they first appear in the given list (the registry's order). */
export function categoriesOf<T extends { category: string }>(items: T[]): Array<{ category: string; items: T[] }> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    if (!groups.has(item.category)) groups.set(item.category, []);
    groups.get(item.category)!.push(item);
  }
  return [...groups].map(([category, list]) => ({ category, items: list }));
}
