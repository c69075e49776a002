/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Who is asking, with what they may do: set by the middleware for every on-demand request. */
    reader: import('./features/accounts/reader.ts').Reader;
    session: import('./features/accounts/lucia.ts').Session | null;
    /** Set by the discussion island for a signed-in reader: the threads it shares with other readers, which the middleware puts in place of their stand-in (server/joined-response.ts). */
    sharedThreads?: import('./server/joined-response.ts').SharedBody;
  }
}
