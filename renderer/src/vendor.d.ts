/** Registers the Vietnamese locale with cronstrue as a side effect (the package ships no types for it). */
declare module 'cronstrue/locales/vi';

/** Stylesheets are bundled by Vite; importing one has only its side effect. */
declare module '*.css';
