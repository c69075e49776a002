/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    user: import('./auth/lucia.ts').User | null;
    session: import('./auth/lucia.ts').Session | null;
  }
}
