import MarkdownIt from 'markdown-it';
import {
  createLanguageService,
  githubSlugifier,
  LogLevel,
  type IMdLanguageService,
  type IWorkspace,
} from 'vscode-markdown-languageservice';

/**
 * Markdown as VS Code reads it, for tests of what our Markdown can do to a reader: the preview's parser
 * (raw HTML allowed, URLs with a scheme linkified, fuzzy links off) and the editor's Markdown link detection.
 */

export const preview = new MarkdownIt({ html: true, linkify: true });
preview.linkify.set({ fuzzyLink: false });

const workspace: IWorkspace = {
  workspaceFolders: [],
  onDidChangeMarkdownDocument: () => ({ dispose() {} }),
  onDidCreateMarkdownDocument: () => ({ dispose() {} }),
  onDidDeleteMarkdownDocument: () => ({ dispose() {} }),
  getAllMarkdownDocuments: () => Promise.resolve([]),
  hasMarkdownDocument: () => false,
  openMarkdownDocument: () => Promise.resolve(undefined),
  stat: () => Promise.resolve(undefined),
  readDirectory: () => Promise.resolve([]),
};

export const languageService: IMdLanguageService = createLanguageService({
  workspace,
  parser: { slugifier: githubSlugifier, tokenize: (doc) => Promise.resolve(preview.parse(doc.getText(), {})) },
  logger: { level: LogLevel.Off, log() {} },
});

export const noCancel = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

/** The text a reader sees in the preview: tags dropped, entities decoded, zero-width joiners removed. */
export function seenInPreview(md: string): string {
  return preview
    .render(md)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\u200d/g, '');
}
