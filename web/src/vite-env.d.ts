// Vite client types: lets TypeScript accept CSS and asset imports.
/// <reference types="vite/client" />
