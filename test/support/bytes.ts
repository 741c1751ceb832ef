// Text to UTF-8 bytes and back, for writing and reading what crosses a socket.

export const encode = (text: string) => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
