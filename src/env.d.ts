/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('./features/accounts/lucia.ts').User | null;
    session: import('./features/accounts/lucia.ts').Session | null;
  }
}
