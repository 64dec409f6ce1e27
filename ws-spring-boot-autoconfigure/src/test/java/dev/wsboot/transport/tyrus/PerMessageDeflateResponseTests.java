package dev.wsboot.transport.tyrus;

import java.util.List;

import jakarta.websocket.Extension;
import org.glassfish.tyrus.core.TyrusExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PerMessageDeflateResponse}: what a server may answer to
 * {@code permessage-deflate; client_max_window_bits}.
 */
class PerMessageDeflateResponseTests {

	@Test
	void noParametersMeanContextTakeoverAndFullWindowsBothWays() {
		PerMessageDeflateResponse response = parse("permessage-deflate");
		assertThat(response).isEqualTo(PerMessageDeflateResponse.DEFAULT);
		assertThat(response.compressesOutbound()).isTrue();
	}

	@Test
	void everyParameterTheRfcDefinesIsRead() {
		PerMessageDeflateResponse response = parse("permessage-deflate; server_no_context_takeover; "
				+ "client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=\"12\"");
		assertThat(response).isEqualTo(new PerMessageDeflateResponse(true, true, 10, 12));
		assertThat(response.compressesOutbound()).isFalse();
	}

	@Test
	void aClientWindowOf15BitsStillCompresses() {
		assertThat(parse("permessage-deflate; client_max_window_bits=15").compressesOutbound()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					permessage-deflate; x-webkit=1                                    | an unknown parameter 'x-webkit'
					permessage-deflate; server_no_context_takeover; server_no_context_takeover | the parameter 'server_no_context_takeover' more than once
					permessage-deflate; client_max_window_bits=15; client_max_window_bits=15 | the parameter 'client_max_window_bits' more than once
					permessage-deflate; client_no_context_takeover=1                  | 'client_no_context_takeover=1', a parameter that takes no value
					permessage-deflate; client_max_window_bits                        | 'client_max_window_bits' without a value (8 to 15 required)
					permessage-deflate; server_max_window_bits=7                      | 'server_max_window_bits=7' (8 to 15 required)
					permessage-deflate; server_max_window_bits=16                     | 'server_max_window_bits=16' (8 to 15 required)
					permessage-deflate; client_max_window_bits=+9                     | 'client_max_window_bits=+9' (8 to 15 required)
					permessage-deflate; client_max_window_bits=ten                    | 'client_max_window_bits=ten' (8 to 15 required)
					""")
	void anInvalidResponseIsRejectedNamingTheParameter(String header, String problem) {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(header)).withMessage(problem);
	}

	private static PerMessageDeflateResponse parse(String header) {
		List<Extension> extensions = TyrusExtension.fromHeaders(List.of(header));
		assertThat(extensions).hasSize(1);
		return PerMessageDeflateResponse.parse(extensions.get(0).getParameters());
	}

}
