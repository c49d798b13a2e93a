/**
 * How a property run says what went wrong. A property cannot call verify()
 * directly: fast-check runs it many times while shrinking, and each failing
 * attempt would record a violation. It throws one of these instead; only the
 * final, shrunk counterexample is turned into a verdict (run-property.ts).
 */

/** The deployment broke a requirement: which one, and what was expected and seen. */
export class Mismatch extends Error {
  constructor(
    readonly requirement: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`[${requirement}] expected ${expected}; actual ${actual}`);
    this.name = 'Mismatch';
  }
}

/** Something the property builds on did not work: the run says nothing about the cited requirements. */
export class Unmet extends Error {
  constructor(readonly what: string) {
    super(`precondition failed: ${what}`);
    this.name = 'Unmet';
  }
}

export function expectThat(ok: boolean, requirement: string, expected: string, actual: () => string): asserts ok {
  if (!ok) throw new Mismatch(requirement, expected, actual());
}

export function assume(ok: boolean, what: () => string): asserts ok {
  if (!ok) throw new Unmet(what());
}
