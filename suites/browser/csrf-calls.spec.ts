/**
 * More cross-site requests PostgREST accepts without a preflight, each tried
 * on everything of the deployment it can reach (csrf.spec.ts has the first
 * two: a new row of the primary resource and the logout, from another site):
 *   - a text/plain form to every function that takes a single unnamed text
 *     or json parameter (PostgREST passes such a body to it);
 *   - an urlencoded form to every function that writes (GET answers 405:
 *     PostgREST runs GET read-only), other than the profile's session
 *     endpoints, its arguments filled as the exposure scan fills them, naming
 *     only the suite's own user;
 *   - an urlencoded form to every owned resource of the profile;
 *   - a top-level GET navigation (a link) to every function that answers GET.
 * Each comes from a page on another site and from a sibling origin of the
 * same site (SameSite=Lax cookies ride on same-site requests; a sub-domain
 * serving users' content is such a sibling), seconds after the user signed
 * in. An Origin or Sec-Fetch-Site check on the deployment's side is a
 * defence like any other: only whether the request acted as the user counts.
 *
 * Whether it did: a new row is looked up; a function's effect is not known,
 * so its answer is compared with the user's own call from the API's origin
 * and with the call without a session (suites/support/csrf-calls.ts); a
 * navigation runs read-only (PostgREST allows GET only where nothing is
 * written), so it must change nothing the user holds: the browser's session
 * cookie and the session itself. Every request is first made from the API's
 * own origin, where it must act as the user (the positive control); one a
 * form cannot make there (PostgREST refuses the media type or the fields) is
 * left out, and a case with nothing left is not applicable.
 *
 * The forms to functions may change the deployment's data (that is what is
 * tried), so, like the exposure scan's writing calls, they are made only
 * where EXPOSURE_SCAN_WRITES allows: the embedded deployment, or a user's who
 * sets it. Otherwise the report says what was left out and how to allow it.
 */
import { randomUUID } from 'node:crypto';
import type { DeploymentApi, OwnedRows, Row, Session } from '../../fixtures/api.ts';
import { browserStep, type BrowserUser, type PageCall } from '../../fixtures/browser-user.ts';
import { autoNavigate, autoSubmitForm, formBody, formTarget, htmlFormOf, type HtmlForm, type Probes, type Relation } from '../../fixtures/cross-site.ts';
import { cites, notApplicableUnless, notVerifiedUnless, noteThat, precondition, verify } from '../../fixtures/requirements.ts';
import { test } from '../../fixtures/test.ts';
import { pathUnder } from '../../lib/profile.ts';
import { answeredAsUser, answersTell, describeAnswer, formNotTaken, textPlainArgument, unnamedBodyArgument, type Answer } from '../support/csrf-calls.ts';
import { exposedEndpoints, mergeEndpoints, readCall, writeCall, type Endpoint, type Fill } from '../support/openapi.ts';

const OPENAPI_ACCEPT = 'application/openapi+json, application/json;q=0.9';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOTH: Relation[] = ['cross-site', 'same-site'];

type From = 'own' | Relation;

interface Context {
  user: BrowserUser;
  /** The user, registered on first use: a case with nothing to try needs none. */
  signedIn: () => Promise<Session>;
  anonymous: () => Session;
  api: DeploymentApi;
  probes: Probes;
  /** EXPOSURE_SCAN_WRITES: whether functions that may write may be called. */
  writesAllowed: boolean;
}

/**
 * Functions that may write are called only where the user allows changes to the
 * deployment's data: otherwise the case says what it left out and how to allow it.
 */
function unlessWritesAllowed(ctx: Context, trials: Trial[]): Trial[] {
  if (ctx.writesAllowed || trials.length === 0) return trials;
  notApplicableUnless(
    false,
    `not tried here, as they may change the deployment's data: ${trials.map((t) => t.label).join(', ')}; set EXPOSURE_SCAN_WRITES=1 where the deployment's data may be changed`,
  );
  return [];
}

/** What a request showed: whether it acted as the user, and what was seen. */
interface Judged {
  acted: boolean;
  seen: string;
}

/** One request of a case, made from the API's own origin first, then from the case's other origins. */
interface Trial {
  /** `POST /rpc/x as text/plain`, for messages. */
  label: string;
  /** The form, carrying `marker` where the effect can be found again. */
  form: (marker: string) => HtmlForm;
  /** A top-level navigation to the form's target (a link) rather than a form. */
  navigation?: boolean;
  /** The origins it comes from, when not the case's. */
  relations?: Relation[];
  /** Why it cannot be made at all (the profile lacks something it needs). */
  unusable?: string;
  /** Called before every submission (a snapshot of what must not change). */
  before?: () => Promise<void>;
  /** Whether the request just answered acted as the user. */
  judge: (from: From, answer: PageCall, marker: string) => Promise<Judged>;
}

interface Case {
  /** Static: the sweep runs one test list against every deployment. */
  title: string;
  /** Not applicable, when the deployment offers nothing for the case. */
  absent: string;
  trials: (ctx: Context) => Promise<Trial[]>;
}

/** Signs the browser in as the user and checks the session works from the API's own origin. */
async function signIn({ user, signedIn }: Context, when: string): Promise<void> {
  const login = await user.login((await signedIn()).identity!);
  precondition(login.ok && (await user.storedSessionCookie()) !== undefined, `login from the page ${when} answered ${login.status} and left no cookie`);
  await user.requireSignedIn(`${when}, right after login`);
}

/** Signs the browser in again when an earlier request ended its session (a form may call anything). */
async function ensureSignedIn(ctx: Context, when: string): Promise<void> {
  const me = (await ctx.user.storedSessionCookie()) && (await ctx.user.probe());
  if (!me || !me.ok || !me.sentSessionCookie) await signIn(ctx, when);
}

/** Makes the trial's request from a page of `from`: the form submits itself, or the page follows the link. */
async function submit({ user, probes }: Context, from: From, trial: Trial, form: HtmlForm): Promise<PageCall> {
  const target = formTarget(form);
  const html = trial.navigation ? autoNavigate(user.url(target)) : autoSubmitForm(user.url(form.action), form.fields, form.method, form.enctype);
  const where = from === 'own' ? "the API's own origin" : probes.origins[from].origin;
  return browserStep(`${trial.label} from ${where}`, async () => {
    const arrived = user.waitForApiResponse(form.method, target);
    arrived.catch(() => undefined); // awaited below; a failed navigation must not leave it unhandled
    if (from === 'own') {
      await user.onApiOrigin();
      await user.page.setContent(html, { waitUntil: 'commit' });
    } else {
      await probes.open(user.page, from, html, 'commit');
    }
    return user.observe(await arrived);
  });
}

/** The same request over HTTP without a session: the anonymous twin of a form's call. */
async function anonymousAnswer(ctx: Context, form: HtmlForm): Promise<Answer> {
  const { body, contentType } = formBody(form);
  const res = await ctx.anonymous().send(form.method, form.action, { body, headers: { 'Content-Type': contentType } });
  return { status: res.status, body: res.body };
}

/**
 * A call whose effect is unknown, judged by its answer against the user's own
 * (from the API's origin) and the anonymous one. The body is the same every
 * time, so that equal answers mean equal treatment.
 */
function answeredTrial(ctx: Context, label: string, form: HtmlForm): Trial {
  let own: Answer | undefined;
  let anonymous: Answer | undefined;
  return {
    label,
    form: () => form,
    judge: async (from, answer) => {
      if (from === 'own') {
        own = answer;
        anonymous = await anonymousAnswer(ctx, form);
        return {
          acted: answer.sentSessionCookie && answersTell(own, anonymous),
          seen: `from the API's own origin it answered ${describeAnswer(own)}${answer.sentSessionCookie ? '' : ' (the browser sent no session cookie)'}, without a session ${describeAnswer(anonymous)}`,
        };
      }
      return {
        acted: answeredAsUser(answer, own!, anonymous!),
        seen: `it answered ${describeAnswer(answer)}; the user's own call ${describeAnswer(own!)}, the call without a session ${describeAnswer(anonymous!)}`,
      };
    },
  };
}

/** A new row of the resource, found again by its text in the user's own list. */
async function rowTrial(ctx: Context, resource: OwnedRows): Promise<Trial> {
  const { api } = ctx;
  const session = await ctx.signedIn();
  // A client-supplied owner is the user's own id, as the app's front end would send it.
  const ownerId = resource.clientSetsOwner ? await session.userId() : undefined;
  const unusable = resource.clientSetsOwner && ownerId === undefined ? `the user's id could not be read from ${api.nameOf('currentUser')} for ${resource.name}'s ${resource.ownerColumn}` : undefined;
  const formOf = (marker: string) => htmlFormOf({ method: 'POST', path: resource.path, json: resource.newRow({ text: marker, ownerId, generator: api.generator }) })!;
  return {
    label: `POST ${resource.name} as a form`,
    form: formOf,
    // The primary resource's cross-site form is csrf.spec.ts's own case.
    relations: resource === api.primary ? ['same-site'] : BOTH,
    unusable,
    judge: async (_from, answer, marker) => {
      const res = await session.rows(`?${resource.byText(marker)}`, undefined, resource);
      precondition(res.ok, `the user could not list their rows of ${resource.name} afterwards: ${res.status}`);
      const rows = res.tryJson<Row[]>() ?? [];
      return { acted: rows.length > 0, seen: `it answered ${answer.status}; ${rows.length} row(s) of ${resource.name} with the form's ${resource.textColumn} in the user's list` };
    },
  };
}

/** A link to a function that answers GET: the navigation must change nothing the user holds. */
function navigationTrial(ctx: Context, path: string): Trial {
  const { user } = ctx;
  const [action, query = ''] = path.split('?', 2);
  let cookieBefore: string | undefined;
  return {
    label: `GET ${path} by a link`,
    navigation: true,
    form: () => ({ method: 'GET', action: action!, fields: Object.fromEntries(new URLSearchParams(query)) }),
    before: async () => {
      cookieBefore = (await user.storedSessionCookie())?.value;
    },
    judge: async (from, answer) => {
      if (from === 'own') {
        return { acted: answer.ok && answer.sentSessionCookie, seen: `from the API's own origin it answered ${answer.status} and the browser ${answer.sentSessionCookie ? 'sent' : 'did not send'} the session cookie` };
      }
      const after = (await user.storedSessionCookie())?.value;
      const me = await user.probe();
      const held = after === undefined ? 'holds no session cookie' : after === cookieBefore ? 'holds the same session cookie' : 'holds another session cookie';
      return {
        acted: after !== cookieBefore || !me.ok,
        seen: `it answered ${answer.status}; afterwards the browser ${held} and ${user.probeName} answers ${me.status}`,
      };
    },
  };
}

/**
 * The functions of the default schema's OpenAPI document (the only schema a
 * form reaches: it cannot send Content-Profile), listed anonymously and as
 * the user, merged. Not verified without a document.
 */
async function listedFunctions(ctx: Context): Promise<Endpoint[]> {
  const root = pathUnder(ctx.api.profile, '/');
  // Read once per worker: three cases need it, and PostgREST builds the document anew for every request.
  documents.set(
    root,
    documents.get(root) ??
      readDocument(ctx, root).catch((error: unknown) => {
        documents.delete(root); // a failed read is the test's error, not the next one's
        throw error;
      }),
  );
  const answers = await documents.get(root)!;
  const endpoints = mergeEndpoints(...answers.map((a) => a.endpoints));
  notVerifiedUnless(endpoints !== undefined, `no OpenAPI document at ${root} (it answered ${answers.map((a) => a.status).join(' anonymously, ')} signed in): the functions to try are read from it`);
  return endpoints!.filter((e) => e.kind === 'function');
}

type DocumentAnswer = { status: number; endpoints?: Endpoint[] };
const documents = new Map<string, Promise<DocumentAnswer[]>>();

async function readDocument(ctx: Context, root: string): Promise<DocumentAnswer[]> {
  return Promise.all(
    [ctx.anonymous(), await ctx.signedIn()].map(async (client) => {
      const res = await client.send('GET', root, { headers: { Accept: OPENAPI_ACCEPT } });
      return { status: res.status, endpoints: res.ok ? exposedEndpoints(res.tryJson()) : undefined };
    }),
  );
}

/** The arguments a function is called with: as the exposure scan writes, naming only the suite's own user. */
async function fillFor(ctx: Context): Promise<Fill> {
  const session = await ctx.signedIn();
  const id = await session.userId();
  return { text: ctx.api.loginOf(session.identity!), integer: 0, boolean: false, uuid: UUID.test(String(id)) ? String(id) : randomUUID(), now: new Date() };
}

/** Each function with the status its GET (read-only, as the user) answers; undefined where GET cannot carry its arguments. */
async function getStatuses(ctx: Context, functions: Endpoint[], fill: Fill): Promise<Array<{ endpoint: Endpoint; path?: string; status?: number }>> {
  const session = await ctx.signedIn();
  return Promise.all(
    functions.map(async (endpoint) => {
      const call = readCall(endpoint, fill);
      if (!call) return { endpoint };
      const path = pathUnder(ctx.api.profile, call.path);
      return { endpoint, path, status: (await session.send('GET', path)).status };
    }),
  );
}

const CASES: Case[] = [
  {
    title: 'a text/plain form from another site or a sibling origin cannot call a function with a single unnamed parameter as the user',
    absent: 'no function takes a single unnamed text or json parameter',
    trials: async (ctx) => {
      const marker = `conformance csrf ${randomUUID()}`;
      // GET cannot carry such an argument, so whether the function writes is unknown: it may.
      return unlessWritesAllowed(
        ctx,
        (await listedFunctions(ctx)).flatMap((endpoint) => {
          const arg = unnamedBodyArgument(endpoint);
          if (!arg) return [];
          const path = pathUnder(ctx.api.profile, endpoint.path);
          return [answeredTrial(ctx, `POST ${path} as text/plain`, { method: 'POST', action: path, fields: textPlainArgument(arg, marker), enctype: 'text/plain' })];
        }),
      );
    },
  },
  {
    title: 'a form from another site or a sibling origin cannot call a state-changing function as the user',
    absent: "no function that writes (its GET answers 405) other than the profile's session endpoints",
    trials: async (ctx) => {
      const sessionPaths = new Set(Object.values(ctx.api.profile.session).map((e) => e.path));
      const functions = (await listedFunctions(ctx)).filter((e) => !sessionPaths.has(e.path));
      if (functions.length === 0) return [];
      const fill = await fillFor(ctx);
      return unlessWritesAllowed(
        ctx,
        (await getStatuses(ctx, functions, fill)).flatMap(({ endpoint, status }) => {
          // What GET runs, read-only, writes nothing; a function GET cannot call (an unnamed parameter) may.
          if (status !== undefined && status !== 405) return [];
          const call = writeCall(endpoint, fill);
          const form = call && htmlFormOf({ ...call, path: pathUnder(ctx.api.profile, call.path) });
          return form ? [answeredTrial(ctx, `POST ${form.action} as a form`, form)] : [];
        }),
      );
    },
  },
  {
    title: 'a form from another site or a sibling origin cannot create a row of an owned resource as the user',
    absent: 'the profile names no owned resource',
    trials: async (ctx) => Promise.all(ctx.api.resources.map((r) => rowTrial(ctx, r))),
  },
  {
    title: 'a link from another site or a sibling origin cannot make a function change anything for the user',
    absent: 'no function answers GET for the signed-in user',
    trials: async (ctx) => {
      const fill = await fillFor(ctx);
      const statuses = await getStatuses(ctx, await listedFunctions(ctx), fill);
      return statuses.flatMap(({ path, status }) => (path && status !== undefined && status >= 200 && status < 300 ? [navigationTrial(ctx, path)] : []));
    },
  },
];

for (const kind of CASES) {
  test(kind.title, cites('browser-csrf-form'), async ({ browserUser, probes, signedIn, anonymous, api, target }) => {
    let user: Promise<Session> | undefined;
    const ctx: Context = { user: browserUser, signedIn: () => (user ??= signedIn('csrf')), anonymous, api, probes, writesAllowed: target.config.exposureScanWrites };
    const trials = await kind.trials(ctx);
    notApplicableUnless(trials.length > 0, kind.absent);
    test.setTimeout(test.info().timeout + trials.length * 6_000);
    await signIn(ctx, 'before the first control');

    const left: Array<{ reason: string; notTaken: boolean }> = [];
    let checked = 0;
    for (const trial of trials) {
      if (trial.unusable) {
        left.push({ reason: `${trial.label}: ${trial.unusable}`, notTaken: false });
        continue;
      }
      // The positive control: the same request from the API's own origin acts as the user. Otherwise the
      // other origins' could fail for any other reason (the form's encoding, an argument) and prove nothing.
      await ensureSignedIn(ctx, `before the control of ${trial.label}`);
      const ownMarker = `conformance csrf control ${randomUUID()}`;
      await trial.before?.();
      const own = await submit(ctx, 'own', trial, trial.form(ownMarker));
      const control = await trial.judge('own', own, ownMarker);
      if (!control.acted) {
        left.push({ reason: `${trial.label}: ${control.seen}`, notTaken: formNotTaken(own, api.refusals.unauthenticated) });
        continue;
      }
      for (const relation of trial.relations ?? BOTH) {
        await ensureSignedIn(ctx, `before ${trial.label} from the ${relation} origin`);
        const marker = `conformance csrf ${randomUUID()}`;
        const form = trial.form(marker);
        await trial.before?.();
        const answer = await submit(ctx, relation, trial, form);
        const outcome = await trial.judge(relation, answer, marker);
        verify('browser-csrf-form', !outcome.acted, {
          expected: `${trial.label} from ${probes.origins[relation].origin} (${relation}) does not act as the user`,
          actual: `the browser ${answer.sentSessionCookie ? 'sent' : 'did not send'} the session cookie; ${outcome.seen}`,
        });
      }
      checked += 1;
    }

    const reasons = left.map((l) => l.reason).join('; ');
    if (checked === 0) {
      // Nothing a form of this kind can reach: no attack to make. A control that failed otherwise proves nothing.
      notApplicableUnless(!left.every((l) => l.notTaken), `${kind.absent} that such a request reaches: ${reasons}`);
      precondition(false, `from the API's own origin no such request acted as the user, so the other origins' would prove nothing: ${reasons}`);
    }
    if (left.length) noteThat(`left out, as no such request from the API's own origin acted as the user: ${reasons}`);
  });
}
